using IntegrationHub.Core.Messaging;
using IntegrationHub.Runtime.Queues;

namespace IntegrationHub.Runtime.ServiceBus;

/// <summary>
/// Receives from Service Bus queues under the namespace's peek-lock (its lock duration, delivery
/// count and lock tokens), sorted out against the hub store first (<see cref="ServiceBusAcceptance"/>;
/// dead letters as they are); peeks with the namespace's own peek.
/// </summary>
internal sealed class ServiceBusQueueReceiver(ServiceBusClients clients, ServiceBusAcceptance acceptance, ServiceBusLocks locks, QueueRegistry registry) : IQueueReceiver
{
    /// <summary>
    /// The shortest wait the SDK is asked for: a receiver without prefetch must ask the namespace, which
    /// takes a round trip, even for a receive that is not to wait.
    /// </summary>
    public static readonly TimeSpan ShortestWait = TimeSpan.FromMilliseconds(50);

    public async Task<IReadOnlyList<ReceivedMessage>> ReceiveAsync(string queue, int maxMessages, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessages, 1);
        await registry.EnsureKnownAsync(queue, cancellationToken);
        var receiver = clients.Receiver(queue);
        var received = await ServiceBusErrors.Refusing(queue, null, () => receiver.ReceiveMessagesAsync(maxMessages, Wait(maxWait), cancellationToken));
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

    public static TimeSpan Wait(TimeSpan maxWait) => maxWait < ShortestWait ? ShortestWait : maxWait;
}
