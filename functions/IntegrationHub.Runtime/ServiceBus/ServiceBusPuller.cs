using IntegrationHub.Core.Messaging;
using IntegrationHub.Runtime.Queues;

namespace IntegrationHub.Runtime.ServiceBus;

/// <summary>
/// Receives for consumers outside the hub (a department pulling over HTTP) under the namespace's own
/// peek-lock, which any instance can renew and settle by its token (<see cref="ServiceBusQueueSettlement"/>);
/// each pull is recorded in the store (<see cref="ServiceBusPulls"/>) under a token that says it is a pull,
/// so that every instance counts it as locked and can abandon it with a delay. The receiver has no
/// prefetch: nothing is locked for a department that does not ask.
/// </summary>
internal sealed class ServiceBusPuller(ServiceBusClients clients, ServiceBusAcceptance acceptance, ServiceBusLocks locks, ServiceBusPulls pulls, QueueRegistry registry) : ISharedLockReceiver
{
    public async Task<IReadOnlyList<ReceivedMessage>> ReceiveAsync(string queue, int maxMessages, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessages, 1);
        QueueRules.RefuseSharedLockOnDeadLetters(queue);
        await registry.EnsureKnownAsync(queue, cancellationToken);
        var receiver = clients.Settler(queue);
        var received = await ServiceBusErrors.Refusing(queue, null, () => receiver.ReceiveMessagesAsync(maxMessages, ServiceBusQueueReceiver.Wait(maxWait), cancellationToken));
        var accepted = await acceptance.AcceptAsync(queue, receiver, received, cancellationToken);
        var pulled = accepted.Select(m => locks.Add(queue, receiver, m, ServiceBusQueueSettlement.PullPrefix + m.LockToken, pulled: true)).ToList();
        if (pulled.Count > 0)
        {
            await pulls.RecordAsync(pulled, cancellationToken);
        }

        return pulled;
    }
}
