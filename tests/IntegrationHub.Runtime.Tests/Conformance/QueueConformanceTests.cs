using System.Text;
using IntegrationHub.Core.Messaging;
using IntegrationHub.Runtime.Store;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static IntegrationHub.Runtime.Tests.Conformance.Messages;

namespace IntegrationHub.Runtime.Tests.Conformance;

/// <summary>
/// The queue semantics every transport must pass (ARCHITECTURE.md), written once and run against
/// each transport. Time is a manual clock: locks, schedules, delays and the duplicate window move
/// only when a test moves it.
/// </summary>
[Trait("Category", "Conformance")]
public abstract partial class QueueConformanceTests : IAsyncLifetime
{
    protected static readonly TimeSpan LockDuration = TimeSpan.FromSeconds(30);
    protected const int MaxDeliveryCount = 3;

    private readonly string folder = Path.Combine(Path.GetTempPath(), "hub-conformance-" + Guid.NewGuid().ToString("N"));
    private readonly List<HubHost> hosts = [];

    protected FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2025, 3, 3, 1, 0, 0, TimeSpan.Zero));

    /// <summary>A queue of this test's own (the broker is shared between tests).</summary>
    protected string Queue { get; } = $"conformance-{Guid.NewGuid():N}"[..24];

    protected string DatabasePath => Path.Combine(folder, "hub.db");

    protected HubHost Hub => hosts[0];

    protected QueuePort Client => Hub.Client;

    /// <summary>The transport's own settings (Messaging:Transport and what it needs).</summary>
    protected abstract IReadOnlyDictionary<string, string?> TransportSettings { get; }

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(folder);
        await PrepareStoreAsync();
        await StartHostAsync();
        await Hub.Admin.EnsureQueueAsync(Queue, CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in hosts)
        {
            await host.DisposeAsync();
        }

        Directory.Delete(folder, recursive: true);
        await RemoveQueuesAsync([Queue, $"{Queue}-work", $"{Queue}-done", $"{Queue}-dept"]);
        await RemoveStoreAsync();
    }

    /// <summary>Removes the test's queues where they outlive the test (on a shared broker).</summary>
    protected virtual Task RemoveQueuesAsync(IEnumerable<string> queues) => Task.CompletedTask;

    /// <summary>Makes the test's own store where it does not come with the test's folder (on a shared server).</summary>
    protected virtual Task PrepareStoreAsync() => Task.CompletedTask;

    /// <summary>Removes what <see cref="PrepareStoreAsync"/> made.</summary>
    protected virtual Task RemoveStoreAsync() => Task.CompletedTask;

    /// <summary>
    /// Before hosts on the system clock start (the crash and restart tests): a transport whose broker
    /// keeps the test's clock (the Service Bus double) moves it to the system clock, so that locks run
    /// out there as they do in the hosts.
    /// </summary>
    protected virtual Task UseSystemClockAsync() => Task.CompletedTask;

    protected Dictionary<string, string?> Settings(string? hostJson = null)
    {
        var settings = new Dictionary<string, string?>(TransportSettings)
        {
            ["Messaging:DatabasePath"] = DatabasePath,
            ["Messaging:LockDuration"] = LockDuration.ToString(),
            ["Messaging:MaxDeliveryCount"] = MaxDeliveryCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Messaging:DuplicateDetectionWindow"] = "00:10:00",
        };
        if (hostJson is not null)
        {
            var path = Path.Combine(folder, $"host-{Guid.NewGuid():N}.json");
            File.WriteAllText(path, hostJson);
            settings["Messaging:HostJsonPath"] = path;
        }

        return settings;
    }

    protected async Task<HubHost> StartHostAsync(Action<IServiceCollection>? configure = null, string? hostJson = null)
    {
        var host = await HubHost.StartAsync(Settings(hostJson), Clock, configure);
        hosts.Add(host);
        return host;
    }

    /// <summary>Disposes <paramref name="host"/> with the test.</summary>
    protected void Track(HubHost host) => hosts.Add(host);

    /// <summary>Stops and disposes every host of this test, then starts a new one on the same database and broker.</summary>
    protected async Task<HubHost> RestartHostAsync(Action<IServiceCollection>? configure = null, string? hostJson = null)
    {
        await StopHostsAsync();
        return await StartHostAsync(configure, hostJson);
    }

    /// <summary>Stops and disposes every host of this test.</summary>
    protected async Task StopHostsAsync()
    {
        foreach (var host in hosts)
        {
            await host.DisposeAsync();
        }

        hosts.Clear();
    }

    /// <summary>Sends messages with these ids and dead-letters each, waiting until the dead-letter queue holds them all.</summary>
    protected async Task DeadLetterAsync(params string[] ids)
    {
        await Client.SendBatchAsync(Queue, [.. ids.Select(id => Create(id))], CancellationToken.None);
        foreach (var message in await ReceiveAsync(Client, Queue, ids.Length))
        {
            await Client.DeadLetterAsync(message, "RoutingFailed", "UnknownProcedure: 1.999999", CancellationToken.None);
        }

        await WaitForStatisticsAsync(s => s.DeadLetterMessageCount == ids.Length);
    }

    protected async Task<ReceivedMessage> ReceiveOneAsync(string? queue = null)
    {
        var received = await ReceiveAsync(Client, queue ?? Queue, 1);
        return Assert.Single(received);
    }

    [Fact]
    public async Task SendAndReceive_AllProperties_ArriveAsSent()
    {
        var sent = Create("route:G22.99-241205-000123");

        await Client.SendAsync(Queue, sent, CancellationToken.None);
        var received = await ReceiveOneAsync();

        Assert.Equal(Queue, received.Queue);
        Assert.Equal(sent.MessageId, received.MessageId);
        Assert.Equal(sent.Body.ToArray(), received.Body.ToArray());
        Assert.Equal(sent.CorrelationId, received.CorrelationId);
        Assert.Equal(sent.Subject, received.Subject);
        Assert.Equal(sent.ContentType, received.ContentType);
        Assert.Equal(sent.ApplicationProperties.OrderBy(p => p.Key), received.ApplicationProperties.OrderBy(p => p.Key));
        Assert.Equal(1, received.DeliveryCount);
        Assert.Equal(Clock.GetUtcNow(), received.EnqueuedTimeUtc);
        Assert.NotEmpty(received.LockToken);
        Assert.Equal(Clock.GetUtcNow() + LockDuration, received.LockedUntilUtc);
    }

    [Fact]
    public async Task Receive_ManyMessagesUnderOneConsumer_ArriveInSendOrder()
    {
        var batch = Enumerable.Range(0, 40).Select(i => Create($"m{i:D3}")).ToList();
        await Client.SendBatchAsync(Queue, batch, CancellationToken.None);
        for (var i = 40; i < 50; i++)
        {
            await Client.SendAsync(Queue, Create($"m{i:D3}"), CancellationToken.None);
        }

        var received = await ReceiveAsync(Client, Queue, 50);

        Assert.Equal(Enumerable.Range(0, 50).Select(i => $"m{i:D3}"), received.Select(m => m.MessageId));
        Assert.True(received.Zip(received.Skip(1)).All(pair => pair.First.SequenceNumber < pair.Second.SequenceNumber));
    }

    [Fact]
    public async Task Complete_LockedMessage_IsGoneForGood()
    {
        await Client.SendAsync(Queue, Create("a"), CancellationToken.None);
        var received = await ReceiveOneAsync();

        await Client.CompleteAsync(received, CancellationToken.None);
        Clock.Advance(LockDuration * 2);

        Assert.Empty(await DrainAsync(Client, Queue));
    }

    [Fact]
    public async Task Abandon_WithoutDelay_IsDeliveredAgainWithItsDeliveryCount()
    {
        await Client.SendAsync(Queue, Create("a"), CancellationToken.None);
        var first = await ReceiveOneAsync();

        await Client.AbandonAsync(first, null, CancellationToken.None);
        var second = await ReceiveOneAsync();

        Assert.Equal("a", second.MessageId);
        Assert.Equal(2, second.DeliveryCount);
        Assert.NotEqual(first.LockToken, second.LockToken);
    }

    [Fact]
    public async Task Abandon_WithDelay_IsHiddenUntilTheDelayHasPassed()
    {
        await Client.SendAsync(Queue, Create("a"), CancellationToken.None);
        await Client.AbandonAsync(await ReceiveOneAsync(), TimeSpan.FromMinutes(5), CancellationToken.None);

        Clock.Advance(TimeSpan.FromMinutes(4));
        var early = await DrainAsync(Client, Queue);
        Clock.Advance(TimeSpan.FromMinutes(1));
        var due = await ReceiveOneAsync();

        Assert.Empty(early);
        Assert.Equal("a", due.MessageId);
        Assert.Equal(2, due.DeliveryCount);
    }

    [Fact]
    public async Task Abandon_TwoDelays_TheShorterIsNotHeldBehindTheLonger()
    {
        await Client.SendBatchAsync(Queue, [Create("long"), Create("short")], CancellationToken.None);
        var both = await ReceiveAsync(Client, Queue, 2);
        await Client.AbandonAsync(both.Single(m => m.MessageId == "long"), TimeSpan.FromHours(1), CancellationToken.None);
        await Client.AbandonAsync(both.Single(m => m.MessageId == "short"), TimeSpan.FromSeconds(10), CancellationToken.None);

        Clock.Advance(TimeSpan.FromSeconds(10));
        var first = await ReceiveOneAsync();

        Assert.Equal("short", first.MessageId);
    }

    [Fact]
    public async Task Lock_NotRenewedPastItsDuration_MessageReturnsAndOldTokenIsRefused()
    {
        await Client.SendAsync(Queue, Create("a"), CancellationToken.None);
        var first = await ReceiveOneAsync();

        Clock.Advance(LockDuration + TimeSpan.FromSeconds(1));
        var again = await ReceiveOneAsync();
        var refused = await Assert.ThrowsAsync<MessageLockLostException>(() => Client.CompleteAsync(first, CancellationToken.None));

        Assert.Equal(2, again.DeliveryCount);
        Assert.Contains(first.LockToken, refused.Message, StringComparison.Ordinal);
        await Client.CompleteAsync(again, CancellationToken.None);
    }

    [Fact]
    public async Task RenewLock_BeforeExpiry_KeepsTheMessageLocked()
    {
        await Client.SendAsync(Queue, Create("a"), CancellationToken.None);
        var received = await ReceiveOneAsync();

        Clock.Advance(LockDuration * 2 / 3);
        var until = await Client.RenewLockAsync(received, CancellationToken.None);
        Clock.Advance(LockDuration * 2 / 3);
        var whileLocked = await DrainAsync(Client, Queue);
        await Client.CompleteAsync(received, CancellationToken.None);

        Assert.Equal(Clock.GetUtcNow() - (LockDuration * 2 / 3) + LockDuration, until);
        Assert.Empty(whileLocked);
    }

    [Fact]
    public async Task Abandon_AsOftenAsMaxDeliveryCount_MovesToTheDeadLetterQueueWithTheReason()
    {
        await Client.SendAsync(Queue, Create("a"), CancellationToken.None);
        for (var delivery = 1; delivery <= MaxDeliveryCount; delivery++)
        {
            var received = await ReceiveOneAsync();
            Assert.Equal(delivery, received.DeliveryCount);
            await Client.AbandonAsync(received, null, CancellationToken.None);
        }

        var deadLetter = await ReceiveOneAsync(QueueNames.DeadLetterOf(Queue));

        Assert.Empty(await DrainAsync(Client, Queue));
        Assert.Equal("a", deadLetter.MessageId);
        Assert.Equal(DeadLetterReasons.MaxDeliveryCountExceeded, deadLetter.DeadLetterReason);
        Assert.Equal(Queue, deadLetter.DeadLetterSource);
        Assert.Equal(QueueNames.DeadLetterOf(Queue), deadLetter.Queue);
    }

    [Fact]
    public async Task Lock_ExpiringAsOftenAsMaxDeliveryCount_MovesToTheDeadLetterQueue()
    {
        await Client.SendAsync(Queue, Create("a"), CancellationToken.None);
        for (var delivery = 1; delivery <= MaxDeliveryCount; delivery++)
        {
            Assert.Equal(delivery, (await ReceiveOneAsync()).DeliveryCount);
            Clock.Advance(LockDuration + TimeSpan.FromSeconds(1));
        }

        // The next delivery attempt finds it out of deliveries and dead-letters it instead.
        var delivered = await DrainAsync(Client, Queue);
        var deadLetter = await ReceiveOneAsync(QueueNames.DeadLetterOf(Queue));

        Assert.Empty(delivered);
        Assert.Equal(DeadLetterReasons.MaxDeliveryCountExceeded, deadLetter.DeadLetterReason);
    }

    [Fact]
    public async Task DeadLetter_WithReason_IsInTheDeadLetterQueueWithReasonDescriptionAndSource()
    {
        var sent = Create("a");
        await Client.SendAsync(Queue, sent, CancellationToken.None);

        await Client.DeadLetterAsync(await ReceiveOneAsync(), "RoutingFailed", "No department for procedure 9.999999.", CancellationToken.None);
        var deadLetter = await ReceiveOneAsync(QueueNames.DeadLetterOf(Queue));

        Assert.Equal("RoutingFailed", deadLetter.DeadLetterReason);
        Assert.Equal("No department for procedure 9.999999.", deadLetter.DeadLetterErrorDescription);
        Assert.Equal(Queue, deadLetter.DeadLetterSource);
        Assert.Equal(sent.Body.ToArray(), deadLetter.Body.ToArray());
        Assert.Equal(sent.ApplicationProperties.OrderBy(p => p.Key), deadLetter.ApplicationProperties.OrderBy(p => p.Key));
        Assert.Empty(await DrainAsync(Client, Queue));
    }

    [Fact]
    public async Task Peek_Messages_NeitherLocksThemNorCountsADelivery()
    {
        await Client.SendBatchAsync(Queue, [Create("a"), Create("b"), Create("c")], CancellationToken.None);
        await WaitForActiveAsync(3);

        var peeked = await Client.PeekAsync(Queue, 0, 10, CancellationToken.None);
        var fromSecond = await Client.PeekAsync(Queue, peeked[1].SequenceNumber, 10, CancellationToken.None);
        var received = await ReceiveAsync(Client, Queue, 3);

        Assert.Equal(["a", "b", "c"], peeked.Select(m => m.MessageId));
        Assert.All(peeked, m => Assert.Empty(m.LockToken));
        Assert.Equal(["b", "c"], fromSecond.Select(m => m.MessageId));
        Assert.Equal(["a", "b", "c"], received.Select(m => m.MessageId));
        Assert.All(received, m => Assert.Equal(1, m.DeliveryCount));
    }

    [Fact]
    public async Task Peek_DeadLetterQueue_ShowsTheDeadLettersWithTheirReasons()
    {
        await Client.SendAsync(Queue, Create("a"), CancellationToken.None);
        await Client.DeadLetterAsync(await ReceiveOneAsync(), "Refused", "why", CancellationToken.None);
        await WaitForStatisticsAsync(s => s.DeadLetterMessageCount == 1);

        var peeked = Assert.Single(await Client.PeekAsync(QueueNames.DeadLetterOf(Queue), 0, 10, CancellationToken.None));

        Assert.Equal("a", peeked.MessageId);
        Assert.Equal("Refused", peeked.DeadLetterReason);
        Assert.Equal("why", peeked.DeadLetterErrorDescription);
    }

    [Fact]
    public async Task Send_Scheduled_IsNotDeliveredBeforeItsTime()
    {
        await Client.SendAsync(Queue, Create("later", scheduledFor: Clock.GetUtcNow().AddHours(2)), CancellationToken.None);
        await Client.SendAsync(Queue, Create("now"), CancellationToken.None);

        var beforeTime = await DrainAsync(Client, Queue);
        Clock.Advance(TimeSpan.FromHours(2));
        var atTime = await ReceiveOneAsync();

        Assert.Equal(["now"], beforeTime.Select(m => m.MessageId));
        Assert.Equal("later", atTime.MessageId);
        Assert.Equal(1, atTime.DeliveryCount);
    }

    [Fact]
    public async Task Send_SameMessageIdWithinTheWindow_IsDeliveredOnce()
    {
        await Client.SendAsync(Queue, Create("route:1", body: "first"), CancellationToken.None);
        Clock.Advance(TimeSpan.FromMinutes(9));
        await Client.SendAsync(Queue, Create("route:1", body: "resend"), CancellationToken.None);

        var delivered = await DrainAsync(Client, Queue);

        Assert.Equal(["first"], delivered.Select(Text));
    }

    [Fact]
    public async Task Send_SameMessageIdAfterTheWindow_IsDeliveredAgain()
    {
        await Client.SendAsync(Queue, Create("route:1", body: "first"), CancellationToken.None);
        await Client.CompleteAsync(await ReceiveOneAsync(), CancellationToken.None);
        Clock.Advance(TimeSpan.FromMinutes(11));
        await Client.SendAsync(Queue, Create("route:1", body: "much later"), CancellationToken.None);

        var delivered = await DrainAsync(Client, Queue);

        Assert.Equal(["much later"], delivered.Select(Text));
    }

    [Fact]
    public async Task Replay_DeadLetter_ReturnsToItsQueueWithBodyPropertiesAndMessageId()
    {
        var sent = Create("route:7", body: "the dossier");
        await Client.SendAsync(Queue, sent, CancellationToken.None);
        await Client.DeadLetterAsync(await ReceiveOneAsync(), "ConnectorDown", "503", CancellationToken.None);
        var deadLetter = await ReceiveOneAsync(QueueNames.DeadLetterOf(Queue));

        await Client.ReplayAsync(deadLetter, CancellationToken.None);
        var replayed = await ReceiveOneAsync();

        Assert.Equal(sent.MessageId, replayed.MessageId);
        Assert.Equal("the dossier", Text(replayed));
        Assert.Equal(sent.CorrelationId, replayed.CorrelationId);
        Assert.Equal(sent.Subject, replayed.Subject);
        Assert.Equal(sent.ApplicationProperties.OrderBy(p => p.Key), replayed.ApplicationProperties.OrderBy(p => p.Key));
        Assert.Equal(1, replayed.DeliveryCount);
        Assert.Null(replayed.DeadLetterReason);
        Assert.Equal(0, (await WaitForStatisticsAsync(s => s.DeadLetterMessageCount == 0)).DeadLetterMessageCount);
    }

    [Fact]
    public async Task ReplayDeadLetter_OnePeeked_ReturnsToItsQueueWithIdAndPropertiesAndTheOthersStay()
    {
        await DeadLetterAsync("route:1", "route:2", "route:3");
        var peeked = await Client.PeekAsync(QueueNames.DeadLetterOf(Queue), 0, 10, CancellationToken.None);
        var second = peeked.Single(m => m.MessageId == "route:2");

        var replayed = await Client.ReplayDeadLetterAsync(QueueNames.DeadLetterOf(Queue), second.SequenceNumber, second.MessageId, null, CancellationToken.None);
        var delivered = await ReceiveOneAsync();
        var left = await Client.PeekAsync(QueueNames.DeadLetterOf(Queue), 0, 10, CancellationToken.None);

        Assert.True(replayed);
        Assert.All(peeked, m => Assert.Equal(Clock.GetUtcNow(), m.DeadLetteredTimeUtc));
        Assert.Equal("route:2", delivered.MessageId);
        Assert.Equal("""{"id":"route:2"}""", Text(delivered));
        Assert.Equal(Create("x").ApplicationProperties.OrderBy(p => p.Key), delivered.ApplicationProperties.OrderBy(p => p.Key));
        Assert.Equal(1, delivered.DeliveryCount);
        Assert.Null(delivered.DeadLetterReason);
        Assert.Null(delivered.DeadLetteredTimeUtc);
        Assert.Equal(["route:1", "route:3"], left.Select(m => m.MessageId).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ReplayDeadLetter_WithReplacementBody_DeliversTheCorrectedBodyUnderTheSameId()
    {
        await DeadLetterAsync("route:1");
        var peeked = Assert.Single(await Client.PeekAsync(QueueNames.DeadLetterOf(Queue), 0, 10, CancellationToken.None));

        var replayed = await Client.ReplayDeadLetterAsync(QueueNames.DeadLetterOf(Queue), peeked.SequenceNumber, peeked.MessageId, Encoding.UTF8.GetBytes("corrected"), CancellationToken.None);
        var delivered = await ReceiveOneAsync();

        Assert.True(replayed);
        Assert.Equal("route:1", delivered.MessageId);
        Assert.Equal("corrected", Text(delivered));
        Assert.Equal(peeked.CorrelationId, delivered.CorrelationId);
    }

    [Fact]
    public async Task ReplayDeadLetter_Twice_TheSecondFindsNothingAndDeliversNothing()
    {
        await DeadLetterAsync("route:1");
        var peeked = Assert.Single(await Client.PeekAsync(QueueNames.DeadLetterOf(Queue), 0, 10, CancellationToken.None));

        var first = await Client.ReplayDeadLetterAsync(QueueNames.DeadLetterOf(Queue), peeked.SequenceNumber, peeked.MessageId, null, CancellationToken.None);
        var second = await Client.ReplayDeadLetterAsync(QueueNames.DeadLetterOf(Queue), peeked.SequenceNumber, peeked.MessageId, null, CancellationToken.None);
        var delivered = await DrainAsync(Client, Queue);

        Assert.True(first);
        Assert.False(second);
        Assert.Equal(["route:1"], delivered.Select(m => m.MessageId));
    }

    [Fact]
    public async Task ReplayDeadLetter_ReplacementOver256KiB_ThrowsAndTheDeadLetterStays()
    {
        await DeadLetterAsync("route:1");
        var peeked = Assert.Single(await Client.PeekAsync(QueueNames.DeadLetterOf(Queue), 0, 10, CancellationToken.None));

        await Assert.ThrowsAsync<MessageSizeExceededException>(() => Client.ReplayDeadLetterAsync(QueueNames.DeadLetterOf(Queue), peeked.SequenceNumber, peeked.MessageId, new byte[(256 * 1024) + 1], CancellationToken.None));
        var left = await Client.PeekAsync(QueueNames.DeadLetterOf(Queue), 0, 10, CancellationToken.None);

        Assert.Equal(["route:1"], left.Select(m => m.MessageId));
        Assert.Empty(await DrainAsync(Client, Queue));
    }

    [Fact]
    public async Task Settle_GivenOnlyQueueAndLockToken_Works()
    {
        await Client.SendBatchAsync(Queue, [Create("complete"), Create("abandon"), Create("dead")], CancellationToken.None);
        var received = await ReceiveAsync(Client, Queue, 3);
        ReceivedMessage Bare(string id) => new()
        {
            Queue = Queue,
            LockToken = received.Single(m => m.MessageId == id).LockToken,
            MessageId = "",
            Body = ReadOnlyMemory<byte>.Empty,
            SequenceNumber = 0,
            DeliveryCount = 0,
            EnqueuedTimeUtc = default,
        };

        await Client.RenewLockAsync(Bare("complete"), CancellationToken.None);
        await Client.CompleteAsync(Bare("complete"), CancellationToken.None);
        await Client.AbandonAsync(Bare("abandon"), null, CancellationToken.None);
        await Client.DeadLetterAsync(Bare("dead"), "Refused", null, CancellationToken.None);

        Assert.Equal("abandon", (await ReceiveOneAsync()).MessageId);
        Assert.Equal("dead", (await ReceiveOneAsync(QueueNames.DeadLetterOf(Queue))).MessageId);
    }

    [Fact]
    public async Task Operations_OnAnUndeclaredQueue_ThrowNamingTheQueue()
    {
        const string missing = "no-such-queue";
        var received = new ReceivedMessage { Queue = missing, LockToken = "x", MessageId = "a", Body = ReadOnlyMemory<byte>.Empty, SequenceNumber = 1, DeliveryCount = 1, EnqueuedTimeUtc = default };

        var send = await Assert.ThrowsAsync<QueueNotFoundException>(() => Client.SendAsync(missing, Create("a"), CancellationToken.None));
        var receive = await Assert.ThrowsAsync<QueueNotFoundException>(() => Client.ReceiveAsync(missing, 1, TimeSpan.Zero, CancellationToken.None));
        var complete = await Assert.ThrowsAsync<QueueNotFoundException>(() => Client.CompleteAsync(received, CancellationToken.None));

        Assert.All(new[] { send, receive, complete }, e => Assert.Contains($"'{missing}'", e.Message, StringComparison.Ordinal));
        Assert.DoesNotContain(missing, await Hub.Admin.ListQueuesAsync(CancellationToken.None));
    }

    [Fact]
    public async Task SendBatch_OneMessageOver256KiB_ThrowsNamingSizeAndLimitAndSendsNothing()
    {
        var large = Create("large") with { Body = new byte[(256 * 1024) + 1] };

        var refused = await Assert.ThrowsAsync<MessageSizeExceededException>(() => Client.SendBatchAsync(Queue, [Create("small"), large], CancellationToken.None));

        Assert.Contains("262144 bytes", refused.Message, StringComparison.Ordinal);
        Assert.Contains(refused.Size.ToString(System.Globalization.CultureInfo.InvariantCulture), refused.Message, StringComparison.Ordinal);
        Assert.True(refused.Size > refused.Limit);
        Assert.Empty(await DrainAsync(Client, Queue));
    }

    [Fact]
    public async Task Complete_UnknownLockToken_ThrowsNamingTheTokenAndKeepsTheMessage()
    {
        await Client.SendAsync(Queue, Create("a"), CancellationToken.None);
        var received = await ReceiveOneAsync();
        var forged = received with { LockToken = "forged-42" };

        var refused = await Assert.ThrowsAsync<MessageLockLostException>(() => Client.CompleteAsync(forged, CancellationToken.None));
        Clock.Advance(LockDuration + TimeSpan.FromSeconds(1));

        Assert.Contains("'forged-42'", refused.Message, StringComparison.Ordinal);
        Assert.Equal("a", (await ReceiveOneAsync()).MessageId);
    }

    [Fact]
    public async Task HubTransaction_Committed_DeliversItsMessagesAndRecordsTheInbox()
    {
        await using (var transaction = await Hub.Transactions.BeginAsync(CancellationToken.None))
        {
            Assert.True(await transaction.TryRecordProcessedAsync("RouteDossierOnQueue", "intake:1", CancellationToken.None));
            transaction.Send(Queue, Create("route:1"));
            transaction.Send(Queue, Create("route:2"));
            await transaction.CommitAsync(CancellationToken.None);
        }

        var delivered = await ReceiveAsync(Client, Queue, 2);
        bool again;
        await using (var second = await Hub.Transactions.BeginAsync(CancellationToken.None))
        {
            again = await second.TryRecordProcessedAsync("RouteDossierOnQueue", "intake:1", CancellationToken.None);
        }

        Assert.Equal(["route:1", "route:2"], delivered.Select(m => m.MessageId));
        Assert.False(again);
    }

    [Fact]
    public async Task HubTransaction_NotCommitted_DeliversNothingAndRecordsNothing()
    {
        await using (var transaction = await Hub.Transactions.BeginAsync(CancellationToken.None))
        {
            await transaction.TryRecordProcessedAsync("RouteDossierOnQueue", "intake:1", CancellationToken.None);
            transaction.Send(Queue, Create("route:1"));
            await using var state = Hub.Services.GetRequiredService<OpenTransactions>().CreateCommand(transaction, "CREATE TABLE rolled_back_state (id INTEGER);");
            await state.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        Assert.Empty(await DrainAsync(Client, Queue));
        Assert.Equal(0, await Hub.ScalarAsync("SELECT COUNT(*) FROM hub_inbox"));
        Assert.False(await Hub.TableExistsAsync("rolled_back_state"));
    }

    [Fact]
    public async Task HubTransaction_SendToUndeclaredQueue_ThrowsAndCommitsNothing()
    {
        var transaction = await Hub.Transactions.BeginAsync(CancellationToken.None);
        await using (transaction)
        {
            transaction.Send(Queue, Create("route:1"));
            Assert.Throws<QueueNotFoundException>(() => transaction.Send("no-such-queue", Create("route:2")));
        }

        Assert.Empty(await DrainAsync(Client, Queue));
    }

    [Fact]
    public async Task Admin_EnsureQueue_IsIdempotentAndListed()
    {
        var department = $"{Queue}-dept";
        await Hub.Admin.EnsureQueueAsync(department, CancellationToken.None);
        await Hub.Admin.EnsureQueueAsync(department, CancellationToken.None);

        var queues = await Hub.Admin.ListQueuesAsync(CancellationToken.None);

        Assert.Single(queues, q => q == department);
        Assert.Contains(Queue, queues);
        await Client.SendAsync(department, Create("a"), CancellationToken.None);
    }

    [Fact]
    public async Task Admin_Statistics_CountActiveLockedScheduledAndDeadLettered()
    {
        await Client.SendBatchAsync(Queue, [Create("locked"), Create("dead"), Create("active")], CancellationToken.None);
        await Client.SendAsync(Queue, Create("scheduled", scheduledFor: Clock.GetUtcNow().AddHours(1)), CancellationToken.None);
        var received = await ReceiveAsync(Client, Queue, 2);
        await Client.DeadLetterAsync(received.Single(m => m.MessageId == "dead"), "Refused", null, CancellationToken.None);

        var statistics = await WaitForStatisticsAsync(s => s.DeadLetterMessageCount == 1 && s.ActiveMessageCount == 1);

        Assert.Equal(1, statistics.ActiveMessageCount);
        Assert.Equal(1, statistics.LockedMessageCount);
        Assert.Equal(1, statistics.ScheduledMessageCount);
        Assert.Equal(1, statistics.DeadLetterMessageCount);
    }

    [Fact]
    public async Task Messages_HostRestarted_AreStillThere()
    {
        await Client.SendBatchAsync(Queue, [Create("a"), Create("b")], CancellationToken.None);
        await Client.SendAsync(Queue, Create("c", scheduledFor: Clock.GetUtcNow().AddMinutes(1)), CancellationToken.None);
        await Client.DeadLetterAsync(await ReceiveOneAsync(), "Refused", null, CancellationToken.None);

        var restarted = await RestartHostAsync();
        Clock.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(["b", "c"], (await ReceiveAsync(restarted.Client, Queue, 2)).Select(m => m.MessageId));
        Assert.Equal("a", (await ReceiveAsync(restarted.Client, QueueNames.DeadLetterOf(Queue), 1)).Single().MessageId);
    }

    protected async Task WaitForActiveAsync(long count) => await WaitForStatisticsAsync(s => s.ActiveMessageCount == count);

    protected async Task<QueueStatistics> WaitForStatisticsAsync(Func<QueueStatistics, bool> condition)
    {
        QueueStatistics? last = null;
        await WaitUntilAsync(async () => condition(last = await Hub.Admin.GetStatisticsAsync(Queue, CancellationToken.None)), TimeSpan.FromSeconds(15), "the queue's statistics");
        return last!;
    }

    protected static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
