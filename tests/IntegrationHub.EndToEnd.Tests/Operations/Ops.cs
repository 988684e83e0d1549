using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using IntegrationHub.Core.Messaging;
using IntegrationHub.StandIns;

namespace IntegrationHub.EndToEnd.Tests.Operations;

/// <summary>A hub on a loopback port whose sample feed has come to rest, shared by the tests of a class that do not disturb one another.</summary>
public sealed class SettledHubFixture : IAsyncLifetime
{
    private StandInServer? standIns;
    private TestHub? hub;

    public TestKeys Keys => Test.Keys;

    public InProcessHub Hub => Test.Hub;

    public HubProbe Probe => Test.Probe;

    private TestHub Test => hub ?? throw new InvalidOperationException("The fixture is not initialised.");

    public async ValueTask InitializeAsync()
    {
        standIns = StandInServer.Start();
        hub = TestHub.OnLoopback(standIns);
        await FeedReconciliation.WaitUntilSettledAsync(Probe, TimeSpan.FromMinutes(3));
    }

    public async ValueTask DisposeAsync()
    {
        if (hub is not null)
        {
            await hub.DisposeAsync();
        }

        if (standIns is not null)
        {
            await standIns.DisposeAsync();
        }
    }
}

/// <summary>What the operations tests do to a hub: operators' tokens, dead letters of their own, following jobs.</summary>
public static class Ops
{
    public const string OperatorName = "Lê Thị Hoà";
    public const string OperatorUnit = "Tổ vận hành hệ thống";

    public static string OperatorToken(TestKeys keys, string subject = "op-hoa") => keys.Token(["ops"], subject: subject, name: OperatorName, unit: OperatorUnit);

    public static HttpClient Operator(InProcessHub hub, TestKeys keys, string subject = "op-hoa") => hub.ClientWith(OperatorToken(keys, subject));

    /// <summary>
    /// Declares a queue of the test's own (no function reads it) and puts <paramref name="count"/>
    /// dead letters in it, as a function's runtime would after the last retry; returns the queue.
    /// </summary>
    public static async Task<string> SeedDeadLettersAsync(InProcessHub hub, int count, string reason = "MaxDeliveryCountExceeded")
    {
        ArgumentNullException.ThrowIfNull(hub);
        var queue = $"ops-test-{Guid.NewGuid():N}"[..21];
        await hub.Get<IQueueAdmin>().EnsureQueueAsync(queue, CancellationToken.None);
        await using var transaction = await hub.Get<IHubTransactions>().BeginAsync(CancellationToken.None);
        for (var i = 0; i < count; i++)
        {
            transaction.DeadLetter(queue, Message(queue, i), reason, $"Failed on delivery 5 of 5: TimeoutException: the sector system did not answer ({i})");
        }

        await transaction.CommitAsync(CancellationToken.None);
        return queue;
    }

    public static OutgoingMessage Message(string queue, int i) => new()
    {
        MessageId = $"{queue}:{i}",
        Body = Encoding.UTF8.GetBytes($$"""{"n":{{i}},"note":"Hồ sơ số {{i}}"}"""),
        CorrelationId = $"TEST-{i}",
        Subject = "TestMessage",
    };

    /// <summary>The messages of a queue (not its dead letters), by peeking.</summary>
    public static Task<IReadOnlyList<ReceivedMessage>> PeekAsync(InProcessHub hub, string queue) =>
        hub.Get<IQueueReceiver>().PeekAsync(queue, 0, 1000, CancellationToken.None);

    /// <summary>Waits until the replay job is no longer running; returns the job and its items.</summary>
    public static async Task<JsonObject> WaitForJobAsync(HttpClient ops, string id, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(ops);
        JsonObject? last = null;
        await Eventually.HoldsAsync(
            async () => (string?)(last = (await ops.GetFromJsonAsync<JsonObject>(new Uri($"/api/ops/replays/{id}", UriKind.Relative)))!)["job"]!["status"] != "running",
            timeout,
            () => $"job {id} still running: {last?["job"]?.ToJsonString()}");
        return last!;
    }

    public static async Task<JsonObject> JsonAsync(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    public static Uri Path(string path) => new(path, UriKind.Relative);
}
