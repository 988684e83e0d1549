using IntegrationHub.Core.Messaging;
using IntegrationHub.Runtime.Queues;
using IntegrationHub.Runtime.Store;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Runtime.Embedded;

/// <summary>
/// Receives on the embedded transport: locks visible rows in queue order (a row out of deliveries goes
/// to the dead-letter queue instead), waking at once for what this process sends and polling for what
/// other processes write.
/// </summary>
internal sealed class EmbeddedReceiver(HubWriter writer, SqliteHubDatabase database, QueueRegistry registry, QueueSignals signals, IOptions<MessagingOptions> options, TimeProvider time) : IQueueReceiver
{
    public async Task<IReadOnlyList<ReceivedMessage>> ReceiveAsync(string queue, int maxMessages, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessages, 1);
        await registry.EnsureKnownAsync(queue, cancellationToken);
        var settings = options.Value;
        var deadline = time.GetUtcNow() + maxWait;
        while (true)
        {
            var signal = signals.NextAsync(queue);
            var (messages, next) = await writer.RunAsync(
                connection =>
                {
                    var now = time.GetUtcNow();
                    var locked = EmbeddedMessages.Lock(connection, queue, maxMessages, now, settings.LockDuration, settings.MaxDeliveryCount);
                    return (locked, locked.Count == 0 ? EmbeddedMessages.NextVisible(connection, queue) : null);
                },
                cancellationToken,
                isolated: false);
            var remaining = deadline - time.GetUtcNow();
            if (messages.Count > 0 || remaining <= TimeSpan.Zero)
            {
                return messages;
            }

            var wait = Min(remaining, settings.PollInterval, next is { } at ? at - time.GetUtcNow() : remaining);
            await QueueSignals.WaitAsync(signal, wait, time, cancellationToken);
        }
    }

    public async Task<IReadOnlyList<ReceivedMessage>> PeekAsync(string queue, long fromSequenceNumber, int maxMessages, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessages, 1);
        await registry.EnsureKnownAsync(queue, cancellationToken);
        await using var connection = await database.OpenSqliteAsync(cancellationToken);
        return EmbeddedMessages.Peek(connection, queue, fromSequenceNumber, maxMessages);
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b, TimeSpan c) => TimeSpan.FromTicks(Math.Min(a.Ticks, Math.Min(b.Ticks, c.Ticks)));
}
