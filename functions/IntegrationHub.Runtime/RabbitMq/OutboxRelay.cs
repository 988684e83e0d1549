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
/// broker confirmed them. A crash between confirm and delete publishes a row twice (at least once);
/// duplicate detection and the consumers' inbox absorb that. Runs on the RabbitMQ transport only.
/// </summary>
internal sealed class OutboxRelay(
    IServiceProvider services,
    HubWriter writer,
    IOptions<MessagingOptions> options,
    TimeProvider time,
    ILogger<OutboxRelay> logger) : BackgroundService
{
    private const int BatchSize = 256;
    private static readonly TimeSpan FailureBackoff = TimeSpan.FromSeconds(1);
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
        while (!stoppingToken.IsCancellationRequested)
        {
            var signal = wakeUp.NextAsync(nameof(OutboxRelay));
            try
            {
                var claimed = await writer.RunAsync(connection => Outbox.ClaimDue(connection, time.GetUtcNow(), BatchSize), stoppingToken, isolated: false);
                if (claimed.Count > 0)
                {
                    await PublishAsync(client, claimed, stoppingToken);
                    continue;
                }

                var next = await writer.RunAsync(Outbox.NextDue, stoppingToken, isolated: false);
                var wait = next is { } due ? due - time.GetUtcNow() : options.Value.PollInterval;
                await QueueSignals.WaitAsync(signal, wait < options.Value.PollInterval ? wait : options.Value.PollInterval, time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task PublishAsync(RabbitMqQueueClient client, List<OutboxMessage> claimed, CancellationToken stoppingToken)
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
            await writer.RunAsync(connection =>
            {
                Outbox.Delete(connection, published);
                return published.Count;
            }, CancellationToken.None, isolated: false);
        }

        if (published.Count < claimed.Count)
        {
            var failed = claimed.Select(m => m.Id).Except(published).ToList();
            await writer.RunAsync(connection =>
            {
                Outbox.Unclaim(connection, failed);
                return failed.Count;
            }, CancellationToken.None, isolated: false);
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
        Outbox.Insert(connection, queue, message, Guid.NewGuid().ToString("N"), 0, due);
    }

    public void WriteDeadLetter(Microsoft.Data.Sqlite.SqliteConnection connection, string queue, IntegrationHub.Core.Messaging.OutgoingMessage message, string reason, string? description)
    {
        registry.EnsureKnown(connection, queue);
        var properties = new Dictionary<string, string>(message.ApplicationProperties, StringComparer.Ordinal)
        {
            [RabbitMqMessages.ReasonHeader] = reason,
            [RabbitMqMessages.SourceHeader] = queue,
            [RabbitMqMessages.DeadLetteredHeader] = time.GetUtcNow().ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        if (description is not null)
        {
            properties[RabbitMqMessages.DescriptionHeader] = description;
        }

        Outbox.Insert(connection, IntegrationHub.Core.Messaging.QueueNames.DeadLetterOf(queue), message with { ApplicationProperties = properties }, Guid.NewGuid().ToString("N"), 0, time.GetUtcNow());
    }

    public void Committed(IReadOnlyCollection<string> queues) => relay.Notify();
}
