using System.Text;
using IntegrationHub.Core.Messaging;
using IntegrationHub.Runtime.TestHost;
using IntegrationHub.Runtime.Store;
using Microsoft.Extensions.Configuration;
using static IntegrationHub.Runtime.Tests.Conformance.Messages;

namespace IntegrationHub.Runtime.Tests.Conformance;

/// <summary>Nothing lost, nothing done twice, when the host process dies mid-batch (and, on RabbitMQ, when the broker restarts).</summary>
public abstract partial class QueueConformanceTests
{
    private const int WorkItems = 400;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task HostProcess_KilledMidBatchAndRestarted_EveryMessageTakesEffectOnce()
    {
        // The child process is the hub instance on this store: the test's own hub steps aside.
        await StopHostsAsync();
        var work = await PrepareWorkAsync();
        var settings = WorkSettings(work);
        settings["Messaging:LockDuration"] = "00:00:03";

        // The first process holds every item after its hundredth effect: killed then, it dies with
        // messages under its locks and most of the work not done, however fast this machine is.
        long effectsAtKill;
        using (var first = ChildHost.Start(new Dictionary<string, string?>(settings) { ["TestWork:HoldAfterEffects"] = "100" }))
        {
            await WaitForEffectsAsync(work.Host, n => n >= 100, first);
            first.Kill();
            effectsAtKill = await CountEffectsAsync(work.Host);
        }

        using var second = ChildHost.Start(settings);
        await WaitForEffectsAsync(work.Host, n => n == WorkItems, second);

        Assert.InRange(effectsAtKill, 100, WorkItems - 1);
        await AssertEveryItemTookEffectOnceAsync(work);
    }

    /// <summary>
    /// A hub on a real clock that declares the work queues and sends the work: started, and running the
    /// work function, when <paramref name="runWorkHere"/>; otherwise only opened, for a child process to
    /// run the work while the test watches the store.
    /// </summary>
    protected async Task<(HubHost Host, string Queue, string DoneQueue)> PrepareWorkAsync(bool runWorkHere = false, IReadOnlyDictionary<string, string?>? extra = null)
    {
        await UseSystemClockAsync();
        var work = $"{Queue}-work";
        var done = $"{Queue}-done";
        var settings = new Dictionary<string, string?>(Settings()) { ["TestWork:Queue"] = work, ["TestWork:DoneQueue"] = done };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        void Configure(Microsoft.Extensions.DependencyInjection.IServiceCollection services)
        {
            services.AddHubMigrations(RecordWorkOnQueue.Migration);
            if (runWorkHere)
            {
                services.AddTestWork(configuration);
            }
        }

        var host = runWorkHere ? await HubHost.StartAsync(settings, TimeProvider.System, Configure) : await HubHost.OpenAsync(settings, TimeProvider.System, Configure);
        Track(host);
        await host.Admin.EnsureQueueAsync(work, CancellationToken.None);
        await host.Admin.EnsureQueueAsync(done, CancellationToken.None);
        await EnsureEffectsTableAsync(host);
        var items = Enumerable.Range(1, WorkItems)
            .Select(i => new OutgoingMessage { MessageId = $"work:{i}", Body = Encoding.UTF8.GetBytes($$"""{"number":{{i}}}"""), CorrelationId = $"dossier-{i}" })
            .ToList();
        foreach (var chunk in items.Chunk(100))
        {
            await host.Client.SendBatchAsync(work, chunk, CancellationToken.None);
        }

        return (host, work, done);
    }

    protected Dictionary<string, string?> WorkSettings((HubHost Host, string Queue, string DoneQueue) work) =>
        new(Settings()) { ["TestWork:Queue"] = work.Queue, ["TestWork:DoneQueue"] = work.DoneQueue };

    protected static async Task WaitForEffectsAsync(HubHost host, Func<long, bool> condition, ChildHost? child = null)
    {
        try
        {
            await WaitUntilAsync(async () => condition(await CountEffectsAsync(host)), Patience, "the work's effects");
        }
        catch (TimeoutException ex) when (child is not null)
        {
            throw new TimeoutException($"{ex.Message} Effects: {await CountEffectsAsync(host)}. Child host output:{Environment.NewLine}{child.Output}", ex);
        }
    }

    /// <summary>Every item's effect happened exactly once, its outgoing message was sent, and each was delivered once.</summary>
    protected static async Task AssertEveryItemTookEffectOnceAsync((HubHost Host, string Queue, string DoneQueue) work)
    {
        var effects = await CountEffectsAsync(work.Host);
        var repeated = await work.Host.ScalarAsync("SELECT COUNT(*) FROM test_work_effects WHERE times <> 1");
        var done = new List<string>();
        await WaitUntilAsync(
            async () =>
            {
                foreach (var message in await work.Host.Client.ReceiveAsync(work.DoneQueue, 100, TimeSpan.Zero, CancellationToken.None))
                {
                    done.Add(message.MessageId);
                    await work.Host.Client.CompleteAsync(message, CancellationToken.None);
                }

                return done.Distinct().Count() == WorkItems;
            },
            Patience,
            "every outgoing message");

        var extra = await DrainAsync(work.Host.Client, work.DoneQueue);
        await WaitUntilAsync(async () => await work.Host.Admin.GetStatisticsAsync(work.Queue, CancellationToken.None) is { ActiveMessageCount: 0, LockedMessageCount: 0 }, Patience, "the work queue to empty");
        var deadLetters = (await work.Host.Admin.GetStatisticsAsync(work.Queue, CancellationToken.None)).DeadLetterMessageCount;

        Assert.Equal(WorkItems, effects);
        Assert.Equal(0, repeated);
        Assert.Equal(WorkItems, done.Distinct().Count());
        Assert.Equal(WorkItems, done.Count);
        Assert.Empty(extra);
        Assert.Equal(0, deadLetters);
    }

    private static async Task<long> CountEffectsAsync(HubHost host) => await host.ScalarAsync("SELECT COUNT(*) FROM test_work_effects");

    private static async Task EnsureEffectsTableAsync(HubHost host)
    {
        await using var connection = await host.Database.OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM hub_migrations WHERE version = 1000";
        if (Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture) == 0)
        {
            throw new InvalidOperationException("The work migration was not applied.");
        }
    }
}
