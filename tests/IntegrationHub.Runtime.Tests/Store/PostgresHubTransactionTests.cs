using System.Text;
using IntegrationHub.Core.Messaging;
using IntegrationHub.Runtime.Functions;
using IntegrationHub.Runtime.RabbitMq;
using IntegrationHub.Runtime.Store;
using IntegrationHub.Runtime.Store.PostgreSql;
using IntegrationHub.Runtime.Tests.Conformance;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace IntegrationHub.Runtime.Tests.Store;

/// <summary>
/// Hub transactions on the PostgreSQL store, as several instances share it: a flow step's inbox record,
/// effect and messages commit together (the inbox record with the commit), and every instance's relay
/// learns of outbox rows another instance committed by LISTEN/NOTIFY, not only at its next poll.
/// </summary>
[Trait("Category", "Postgres")]
public sealed class PostgresHubTransactionTests(RabbitMqBroker broker, PostgresServer postgres) : IAsyncLifetime
{
    private readonly PostgresTestStore store = new(postgres, broker);
    private readonly string queue = $"outbox-{Guid.NewGuid():N}";
    private readonly string applicationName = $"hub-{Guid.NewGuid():N}";

    // The relay's poll runs on this clock, which never moves: only a notification can wake it.
    private readonly FakeTimeProvider frozen = new(TimeProvider.System.GetUtcNow());
    private HubHost hub = null!;

    public async ValueTask InitializeAsync()
    {
        await store.CreateAsync();
        // The hub's connections carry a name of their own, so that this instance's listener is told apart
        // from those of hubs that tests beside this one run on the same server.
        var settings = store.Settings();
        settings["Messaging:PostgreSql:ConnectionString"] = new NpgsqlConnectionStringBuilder(store.ConnectionString) { ApplicationName = applicationName }.ToString();
        hub = await HubHost.StartAsync(settings, frozen);
        await hub.Admin.EnsureQueueAsync(queue, CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        await hub.DisposeAsync();
        await broker.DeleteQueuesAsync([queue]);
        await store.DisposeAsync();
    }

    [Fact]
    public async Task StepDeliveredTwice_TakesEffectAndSendsOnce()
    {
        var step = hub.Services.GetRequiredService<IdempotentStep>();
        var effects = 0;
        var outcomes = new List<StepOutcome>();
        for (var delivery = 1; delivery <= 2; delivery++)
        {
            outcomes.Add(await step.RecordAsync(
                "route-dossier",
                "route:G22.99-241205-000123",
                (transaction, _) =>
                {
                    transaction.Send(queue, Message("dept:G22.99-241205-000123"));
                    return Task.FromResult(0);
                },
                _ => effects++,
                CancellationToken.None));
        }

        Assert.Equal([StepOutcome.Done, StepOutcome.AlreadyDone], outcomes);
        Assert.Equal(1, effects);
        Assert.Equal(1, await hub.ScalarAsync("SELECT COUNT(*) FROM hub_inbox WHERE consumer = 'route-dossier'"));
        await Messages.WaitUntilAsync(async () => await hub.ScalarAsync("SELECT COUNT(*) FROM hub_outbox") == 0, TimeSpan.FromSeconds(30), "the relay to publish");
        await Messages.WaitUntilAsync(async () => (await hub.Admin.GetStatisticsAsync(queue, CancellationToken.None)).ActiveMessageCount == 1, TimeSpan.FromSeconds(30), "the message in the queue");
    }

    [Fact]
    public async Task RowCommittedByAnotherInstance_IsPublishedWithoutWaitingForAPoll()
    {
        // This instance's own commit wakes its relay directly; once it has published, the relay waits.
        await hub.Transactions.RunAsync(
            (transaction, _) =>
            {
                transaction.Send(queue, Message("sent-here"));
                return Task.FromResult(0);
            },
            CancellationToken.None);
        await Messages.WaitUntilAsync(async () => await hub.ScalarAsync("SELECT COUNT(*) FROM hub_outbox") == 0, TimeSpan.FromSeconds(30), "the relay to publish this instance's message");
        await Messages.WaitUntilAsync(ListeningAsync, TimeSpan.FromSeconds(30), "the instance to listen for outbox commits");

        // Another instance commits a row, as its hub transactions do: the row and the notification together.
        await using (var connection = new NpgsqlConnection(store.ConnectionString))
        {
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(TestContext.Current.CancellationToken);
            await using (var insert = PostgresBrokerStore.Insert(connection, [new OutboxEntry(queue, Message("sent-elsewhere"), "copy-1", 0, frozen.GetUtcNow())], _ => 0))
            {
                await insert.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
            }

            await connection.ExecuteAsync(OutboxListener.NotifySql, CancellationToken.None);
            await transaction.CommitAsync(TestContext.Current.CancellationToken);
        }

        await Messages.WaitUntilAsync(async () => await hub.ScalarAsync("SELECT COUNT(*) FROM hub_outbox") == 0, TimeSpan.FromSeconds(30), "the relay to publish the other instance's row");
        await Messages.WaitUntilAsync(async () => (await hub.Admin.GetStatisticsAsync(queue, CancellationToken.None)).ActiveMessageCount == 2, TimeSpan.FromSeconds(30), "both messages in the queue");
    }

    [Fact]
    public async Task NotificationForAStoreInAnotherSchema_DoesNotWakeTheRelay()
    {
        // The relay has published this instance's own message and found nothing more: it waits for a wake-up.
        await Messages.WaitUntilAsync(ListeningAsync, TimeSpan.FromSeconds(30), "the instance to listen for outbox commits");
        await SendAsync(Message("sent-here"));
        await Messages.WaitUntilAsync(async () => await hub.ScalarAsync("SELECT COUNT(*) FROM hub_outbox") == 0, TimeSpan.FromSeconds(30), "the relay to publish this instance's message");
        await Task.Delay(TimeSpan.FromMilliseconds(300), TestContext.Current.CancellationToken);

        await using var connection = new NpgsqlConnection(store.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using (var insert = PostgresBrokerStore.Insert(connection, [new OutboxEntry(queue, Message("waiting"), "copy-1", 0, frozen.GetUtcNow())], _ => 0))
        {
            await insert.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        // A hub kept in another schema of the same database commits: this instance's row stays for its poll.
        await connection.ExecuteAsync($"SELECT pg_notify('{OutboxListener.Channel}', 'another_hub')", CancellationToken.None);
        await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
        Assert.Equal(1, await hub.ScalarAsync("SELECT COUNT(*) FROM hub_outbox"));

        // A commit to this store wakes it.
        await connection.ExecuteAsync(OutboxListener.NotifySql, CancellationToken.None);
        await Messages.WaitUntilAsync(async () => await hub.ScalarAsync("SELECT COUNT(*) FROM hub_outbox") == 0, TimeSpan.FromSeconds(30), "the relay to publish the row");
    }

    [Fact]
    public async Task CommitWithMessagesDueNow_PublishesThemFromThisInstanceWithoutNotifyingTheOthers()
    {
        await using var other = await OtherInstance.ListenAsync(store.ConnectionString);

        await SendAsync(Message("first"), Message("second"));

        // The rows were written claimed for this instance's relay, which published them: no other relay had to look.
        await Messages.WaitUntilAsync(async () => (await hub.Admin.GetStatisticsAsync(queue, CancellationToken.None)).ActiveMessageCount == 2, TimeSpan.FromSeconds(30), "both messages in the queue");
        await Messages.WaitUntilAsync(async () => await hub.ScalarAsync("SELECT COUNT(*) FROM hub_outbox") == 0, TimeSpan.FromSeconds(30), "the published rows deleted");
        Assert.Equal(0, await other.NotifiedAsync(0));
    }

    [Fact]
    public async Task CommitWithAScheduledMessage_NotifiesTheOtherInstancesOnce()
    {
        await using var other = await OtherInstance.ListenAsync(store.ConnectionString);

        await SendAsync(Message("now"), Later("later"));
        await hub.Transactions.RunAsync((_, _) => Task.FromResult(0), CancellationToken.None);

        // The scheduled row is any relay's to publish when due: the others are told. A commit without messages tells nobody.
        Assert.Equal(1, await other.NotifiedAsync(1));
        await Messages.WaitUntilAsync(async () => (await hub.Admin.GetStatisticsAsync(queue, CancellationToken.None)).ActiveMessageCount == 1, TimeSpan.FromSeconds(30), "the message due now in the queue");
        Assert.Equal(1, await hub.ScalarAsync("SELECT COUNT(*) FROM hub_outbox WHERE message_id = 'later' AND claimed_until = 0"));
    }

    [Fact]
    public async Task CommitsWithScheduledMessagesInQuickSuccession_NotifyTheOtherInstancesOncePerInterval()
    {
        await using var other = await OtherInstance.ListenAsync(store.ConnectionString);

        await SendAsync(Later("first"));
        await SendAsync(Later("second"));
        frozen.Advance(OutboxNotices.Interval);
        await SendAsync(Later("third"));

        // The second commit, within the interval of the first, notifies nobody; its row waits all the same.
        Assert.Equal(2, await other.NotifiedAsync(2));
        Assert.Equal(3, await hub.ScalarAsync("SELECT COUNT(*) FROM hub_outbox"));
    }

    [Fact]
    public async Task RowsClaimedByAnInstanceThatStopped_ArePublishedOnceTheClaimRunsOut()
    {
        await Messages.WaitUntilAsync(ListeningAsync, TimeSpan.FromSeconds(30), "the instance to listen for outbox commits");

        // Another instance committed a row claimed for its own relay, and stopped before publishing it.
        await using (var connection = new NpgsqlConnection(store.ConnectionString))
        {
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            var claimedUntil = (frozen.GetUtcNow() + SqliteOutbox.ClaimDuration).ToUnixTimeMilliseconds();
            await using var insert = PostgresBrokerStore.Insert(connection, [new OutboxEntry(queue, Message("orphan"), "copy-1", 0, frozen.GetUtcNow())], _ => claimedUntil);
            await insert.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
            await connection.ExecuteAsync(OutboxListener.NotifySql, CancellationToken.None);
        }

        // Told to look, this relay leaves the claimed row alone; once the claim has run out, it publishes it.
        await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
        Assert.Equal(1, await hub.ScalarAsync("SELECT COUNT(*) FROM hub_outbox"));
        frozen.Advance(SqliteOutbox.ClaimDuration);
        await Messages.WaitUntilAsync(async () => (await hub.Admin.GetStatisticsAsync(queue, CancellationToken.None)).ActiveMessageCount == 1, TimeSpan.FromSeconds(30), "the row published by this instance");
        await Messages.WaitUntilAsync(async () => await hub.ScalarAsync("SELECT COUNT(*) FROM hub_outbox") == 0, TimeSpan.FromSeconds(30), "the published row deleted");
    }

    private Task<int> SendAsync(params OutgoingMessage[] messages) => hub.Transactions.RunAsync(
        (transaction, _) =>
        {
            foreach (var message in messages)
            {
                transaction.Send(queue, message);
            }

            return Task.FromResult(0);
        },
        CancellationToken.None);

    /// <summary>A message scheduled five minutes from now.</summary>
    private OutgoingMessage Later(string id) => Message(id) with { ScheduledEnqueueTimeUtc = frozen.GetUtcNow().AddMinutes(5) };

    private async Task<bool> ListeningAsync() =>
        await hub.ScalarAsync($"SELECT COUNT(*) FROM pg_stat_activity WHERE query = 'LISTEN {OutboxListener.Channel}' AND application_name = '{applicationName}'") > 0;

    private static OutgoingMessage Message(string id) => new() { MessageId = id, Body = Encoding.UTF8.GetBytes("{}") };

    /// <summary>
    /// Another instance's listening connection, counting the notifications of outbox commits to its store
    /// (tests running beside this one keep their stores in other schemas of the same database).
    /// </summary>
    private sealed class OtherInstance(NpgsqlConnection connection) : IAsyncDisposable
    {
        private int notified;

        public static async Task<OtherInstance> ListenAsync(string connectionString)
        {
            var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            var other = new OtherInstance(connection);
            var schema = new NpgsqlConnectionStringBuilder(connectionString).SearchPath;
            connection.Notification += (_, notification) =>
            {
                if (notification.Payload == schema)
                {
                    Interlocked.Increment(ref other.notified);
                }
            };
            await connection.ExecuteAsync($"LISTEN {OutboxListener.Channel}", CancellationToken.None);
            return other;
        }

        /// <summary>Waits for <paramref name="expected"/> notifications, then half a second for any more on their way; the count.</summary>
        public async Task<int> NotifiedAsync(int expected)
        {
            using var enough = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while (Volatile.Read(ref notified) < expected)
            {
                await connection.WaitAsync(enough.Token);
            }

            await connection.WaitAsync(TimeSpan.FromMilliseconds(500), TestContext.Current.CancellationToken);
            return Volatile.Read(ref notified);
        }

        public ValueTask DisposeAsync() => connection.DisposeAsync();
    }
}
