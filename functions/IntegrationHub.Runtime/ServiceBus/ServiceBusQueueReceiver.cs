using Azure.Messaging.ServiceBus;
using IntegrationHub.Core.Messaging;
using IntegrationHub.Runtime.Queues;

namespace IntegrationHub.Runtime.ServiceBus;

/// <summary>
/// Receives from Service Bus queues under the namespace's peek-lock (its lock duration, delivery
/// count and lock tokens), sorted out against the hub store first (<see cref="ServiceBusAcceptance"/>;
/// dead letters as they are); peeks with the namespace's own peek. A prefetching receiver takes what
/// its prefetch buffer holds one message at a time (<see cref="ReceiveBufferedAsync"/>): the SDK's batch
/// receive of more than one message waits 20 ms after the first for the rest of the batch, which a
/// buffer holding fewer than asked for never fills.
/// </summary>
internal sealed class ServiceBusQueueReceiver(ServiceBusClients clients, ServiceBusAcceptance acceptance, ServiceBusLocks locks, QueueRegistry registry) : IQueueReceiver
{
    /// <summary>
    /// The shortest wait the SDK is asked for: a receiver without prefetch must ask the namespace, which
    /// takes a round trip, even for a receive that is not to wait.
    /// </summary>
    public static readonly TimeSpan ShortestWait = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// How long a prefetching receiver waits for each message after the first: long enough for the
    /// SDK to hand over what its buffer holds, too short to wait for the namespace to send more.
    /// </summary>
    public static readonly TimeSpan BufferedWait = TimeSpan.FromMilliseconds(1);

    public async Task<IReadOnlyList<ReceivedMessage>> ReceiveAsync(string queue, int maxMessages, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessages, 1);
        await registry.EnsureKnownAsync(queue, cancellationToken);
        var receiver = clients.Receiver(queue);
        var received = await ServiceBusErrors.Refusing(queue, null, () => receiver.PrefetchCount > 0
            ? ReceiveBufferedAsync(receiver, maxMessages, Wait(maxWait), cancellationToken)
            : receiver.ReceiveMessagesAsync(maxMessages, Wait(maxWait), cancellationToken));
        var accepted = QueueNames.IsDeadLetter(queue) ? [.. received] : await acceptance.AcceptAsync(queue, receiver, received, cancellationToken);
        return [.. accepted.Select(m => locks.Add(queue, receiver, m, m.LockToken, pulled: false))];
    }

    public async Task<IReadOnlyList<ReceivedMessage>> PeekAsync(string queue, long fromSequenceNumber, int maxMessages, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessages, 1);
        await registry.EnsureKnownAsync(queue, cancellationToken);
        var peeked = await ServiceBusErrors.Refusing(queue, null, () => clients.Settler(queue).PeekMessagesAsync(maxMessages, fromSequenceNumber, cancellationToken));
        return [.. peeked.Select(m => ServiceBusMessages.Read(queue, m, ""))];
    }

    /// <summary>
    /// The first message with the caller's wait, then single messages while the receiver's prefetch
    /// buffer holds them, up to <paramref name="maxMessages"/> (a receive of one message has no batch
    /// timer). The messages after the first are asked for without the caller's token, and a failure
    /// among them only ends the batch: messages already locked for this process are always returned,
    /// never left to come back when their locks run out.
    /// </summary>
    private static async Task<IReadOnlyList<ServiceBusReceivedMessage>> ReceiveBufferedAsync(ServiceBusReceiver receiver, int maxMessages, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        var first = await receiver.ReceiveMessageAsync(maxWait, cancellationToken);
        if (first is null)
        {
            return [];
        }

        var received = new List<ServiceBusReceivedMessage>(Math.Min(maxMessages, 64)) { first };
        try
        {
            while (received.Count < maxMessages && !cancellationToken.IsCancellationRequested
                && await receiver.ReceiveMessageAsync(BufferedWait, CancellationToken.None) is { } next)
            {
                received.Add(next);
            }
        }
        catch (ServiceBusException)
        {
            // The link failed after the first message: the next receive meets the failure (and reports it).
        }

        return received;
    }

    public static TimeSpan Wait(TimeSpan maxWait) => maxWait < ShortestWait ? ShortestWait : maxWait;
}
