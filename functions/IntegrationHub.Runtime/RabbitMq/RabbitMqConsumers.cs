using System.Collections.Concurrent;
using IntegrationHub.Core.Messaging;
using IntegrationHub.Runtime.Queues;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Runtime.RabbitMq;

/// <summary>
/// This process's consumers, one per queue it receives from (see <see cref="RabbitMqReceiver"/>), and
/// the control of what the broker pushes to them: the prefetch, and stopping at shutdown.
/// </summary>
internal sealed class RabbitMqConsumers(
    RabbitMqConnections connections,
    RabbitMqAcceptance acceptance,
    IOptions<MessagingOptions> options,
    TimeProvider time,
    ILogger<RabbitMqConsumers> logger) : IReceiverControl, IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, RabbitMqReceiver> receivers = new(StringComparer.Ordinal);

    /// <summary>The queue's consumer, created (not started) with the configured prefetch when there is none yet.</summary>
    public RabbitMqReceiver Of(string queue) => Of(queue, options.Value.RabbitMq.Prefetch);

    /// <summary>The consumer of the queue this process has, if any.</summary>
    public RabbitMqReceiver? Existing(string queue) => receivers.GetValueOrDefault(queue);

    /// <summary>The consumer that holds a lock on <paramref name="queue"/>; none means the lock is lost.</summary>
    public RabbitMqReceiver Holding(string queue, string lockToken) =>
        receivers.GetValueOrDefault(queue) ?? throw new MessageLockLostException(queue, lockToken);

    public void SetPrefetch(string queue, int prefetch)
    {
        var count = (ushort)Math.Clamp(prefetch, 1, ushort.MaxValue);
        _ = Of(queue, count).SetPrefetchAsync(count, CancellationToken.None);
    }

    public Task StopReceivingAsync(string queue, CancellationToken cancellationToken) =>
        receivers.TryGetValue(queue, out var receiver) ? receiver.StopConsumingAsync(cancellationToken) : Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        foreach (var queue in receivers.Keys)
        {
            if (receivers.TryRemove(queue, out var receiver))
            {
                await receiver.DisposeAsync();
            }
        }
    }

    private RabbitMqReceiver Of(string queue, int prefetch) =>
        receivers.GetOrAdd(queue, q => new RabbitMqReceiver(q, (ushort)Math.Clamp(prefetch, 1, ushort.MaxValue), AcceptAsync, connections, time, logger));

    /// <summary>A consumer's deliveries, sorted out against the store before receivers see them (dead letters as they are).</summary>
    private Task<List<RabbitMqReceiver.Delivery>> AcceptAsync(RabbitMqReceiver receiver, List<RabbitMqReceiver.Delivery> deliveries, CancellationToken cancellationToken) =>
        QueueNames.IsDeadLetter(receiver.Queue)
            ? Task.FromResult(deliveries)
            : acceptance.AcceptAsync(receiver.Queue, deliveries, delivery => receiver.AckAsync(delivery, $"delivery {delivery.Tag}"), cancellationToken);
}
