using IntegrationHub.Runtime.Queues;
using IntegrationHub.Runtime.Store;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;

namespace IntegrationHub.Runtime.RabbitMq;

/// <summary>
/// Publishes the outbox to the broker: rows become due (committed with a state change, or their
/// schedule or delay has passed), are claimed, published with confirms, and deleted only after the
/// broker confirmed them. Every instance runs a relay over the one outbox; a claimed row is one
/// relay's until its claim runs out. A crash between confirm and delete publishes a row twice (at
/// least once); duplicate detection drops the second copy (see <see cref="DuplicateDetection"/>) and
/// the consumers' inbox backs it up. Now and then the relay also gives back to their queues the
/// messages held for pullers whose locks ran out. Runs on the RabbitMQ transport only.
/// </summary>
internal sealed class OutboxRelay(
    IServiceProvider services,
    IOptions<MessagingOptions> options,
    TimeProvider time,
    ILogger<OutboxRelay> logger) : BackgroundService
{
    private const int BatchSize = 256;
    private static readonly TimeSpan FailureBackoff = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan HeldSweepInterval = TimeSpan.FromSeconds(1);
    private readonly QueueSignals wakeUp = new();

    /// <summary>Something was written to the outbox: look now rather than at the next poll.</summary>
    public void Notify() => wakeUp.Notify(nameof(OutboxRelay));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.Transport != MessagingOptions.RabbitMqTransport)
        {
            return;
        }

        // Resolved here, not injected: the client also notifies this relay, so each needs the other.
        var client = (RabbitMqQueueClient)services.GetService(typeof(RabbitMqQueueClient))!;
        var store = (IBrokerStore)services.GetService(typeof(IBrokerStore))!;
        var held = (HeldMessages)services.GetService(typeof(HeldMessages))!;
        var nextSweep = time.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            var signal = wakeUp.NextAsync(nameof(OutboxRelay));
            try
            {
                if (time.GetUtcNow() >= nextSweep)
                {
                    nextSweep = time.GetUtcNow() + HeldSweepInterval;
                    await held.ReturnExpiredAsync(stoppingToken);
                }

                var claimed = await store.ClaimDueAsync(time.GetUtcNow(), BatchSize, stoppingToken);
                if (claimed.Count > 0)
                {
                    await PublishAsync(client, store, claimed, stoppingToken);
                    continue;
                }

                var next = await store.NextDueAsync(stoppingToken);
                var wait = next is { } due ? due - time.GetUtcNow() : options.Value.PollInterval;
                await QueueSignals.WaitAsync(signal, wait < options.Value.PollInterval ? wait : options.Value.PollInterval, time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (System.Data.Common.DbException ex)
            {
                // The store is unreachable (a database restarting): the rows wait there; try again after a pause.
                Log.RelayStoreFailed(logger, ex);
                await Task.Delay(FailureBackoff, time, stoppingToken);
            }
        }
    }

    private async Task PublishAsync(RabbitMqQueueClient client, IBrokerStore store, List<OutboxMessage> claimed, CancellationToken stoppingToken)
    {
        var published = new List<long>(claimed.Count);
        foreach (var group in claimed.GroupBy(m => m.Queue))
        {
            try
            {
                var batch = group.Select(m => (RabbitMqMessages.Properties(m.Message, m.CopyId, RabbitMqMessages.NextSequence(time), time.GetUtcNow(), m.Deliveries), m.Message.Body)).ToList();
                await client.PublishAsync(group.Key, batch, stoppingToken);
                published.AddRange(group.Select(m => m.Id));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Broker down or restarting: the rows stay, unclaimed, and are tried again after a pause.
                Log.RelayFailed(logger, group.Count(), ex);
            }
        }

        if (published.Count > 0)
        {
            await store.DeleteAsync(published, CancellationToken.None);
        }

        if (published.Count < claimed.Count)
        {
            await store.UnclaimAsync(claimed.Select(m => m.Id).Except(published).ToList(), CancellationToken.None);
            await Task.Delay(FailureBackoff, time, stoppingToken);
        }
    }
}

/// <summary>A transaction's messages go to the outbox, in the same SQLite transaction as the state change.</summary>
internal sealed class RabbitMqOutgoing(QueueRegistry registry, OutboxRelay relay, TimeProvider time) : IOutgoingWriter
{
    public void Write(Microsoft.Data.Sqlite.SqliteConnection connection, string queue, IntegrationHub.Core.Messaging.OutgoingMessage message)
    {
        registry.EnsureKnown(connection, queue);
        var now = time.GetUtcNow();
        var due = message.ScheduledEnqueueTimeUtc is { } at && at > now ? at : now;
        Outbox.Insert(connection, queue, message, RabbitMqMessages.NewCopyId(), 0, due);
    }

    public void WriteDeadLetter(Microsoft.Data.Sqlite.SqliteConnection connection, string queue, IntegrationHub.Core.Messaging.OutgoingMessage message, string reason, string? description)
    {
        registry.EnsureKnown(connection, queue);
        var now = time.GetUtcNow();
        var deadLetter = RabbitMqMessages.AsDeadLetter(message, queue, reason, description, now);
        Outbox.Insert(connection, IntegrationHub.Core.Messaging.QueueNames.DeadLetterOf(queue), deadLetter, RabbitMqMessages.NewCopyId(), 0, now);
    }

    public void Committed(IReadOnlyCollection<string> queues) => relay.Notify();
}
