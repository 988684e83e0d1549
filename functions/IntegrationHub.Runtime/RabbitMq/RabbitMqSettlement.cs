using IntegrationHub.Core.Messaging;
using IntegrationHub.Runtime.Queues;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Runtime.RabbitMq;

/// <summary>
/// Settles RabbitMQ messages by queue and lock token: a token of a message held for a puller
/// (<see cref="HeldMessages"/>) is settled in the store by any instance; any other is a lock this
/// process's consumer keeps, settled on the broker (acknowledged, returned, delayed through the outbox
/// or dead-lettered).
/// </summary>
internal sealed class RabbitMqSettlement(
    RabbitMqConsumers consumers,
    RabbitMqAcceptance acceptance,
    RabbitMqQueues queues,
    HeldMessages held,
    OutboxRelay relay,
    QueueRegistry registry,
    IOptions<MessagingOptions> options) : IQueueSettlement
{
    public async Task<DateTimeOffset> RenewLockAsync(string queue, string lockToken, CancellationToken cancellationToken)
    {
        await registry.EnsureKnownAsync(queue, cancellationToken);
        return HeldMessages.Holds(lockToken)
            ? await held.RenewAsync(queue, lockToken, cancellationToken)
            : consumers.Holding(queue, lockToken).Renew(lockToken, options.Value.LockDuration);
    }

    public async Task CompleteAsync(string queue, string lockToken, CancellationToken cancellationToken)
    {
        await registry.EnsureKnownAsync(queue, cancellationToken);
        if (HeldMessages.Holds(lockToken))
        {
            await held.CompleteAsync(queue, lockToken, cancellationToken);
            return;
        }

        var receiver = consumers.Holding(queue, lockToken);
        await receiver.AckAsync(receiver.Release(lockToken), lockToken);
    }

    public async Task AbandonAsync(string queue, string lockToken, TimeSpan? delay, CancellationToken cancellationToken)
    {
        await registry.EnsureKnownAsync(queue, cancellationToken);
        if (HeldMessages.Holds(lockToken))
        {
            await held.AbandonAsync(queue, lockToken, delay, cancellationToken);
            relay.Notify();
            return;
        }

        var receiver = consumers.Holding(queue, lockToken);
        var delivery = receiver.Release(lockToken);
        var deliveries = delivery.Message.DeliveryCount;
        if (!QueueNames.IsDeadLetter(queue) && deliveries >= options.Value.MaxDeliveryCount)
        {
            await queues.PublishDeadLetterAsync(queue, delivery, DeadLetterReasons.MaxDeliveryCountExceeded, acceptance.Exhausted(deliveries), cancellationToken);
            await receiver.AckAsync(delivery, lockToken);
        }
        else if (delay is { } wait && wait > TimeSpan.Zero)
        {
            // Published again when due as a new copy that takes the message id's duplicate claim over.
            await queues.DelayAsync(queue, delivery.Message.AsOutgoing(), deliveries, wait, cancellationToken);
            relay.Notify();
            await receiver.AckAsync(delivery, lockToken);
        }
        else
        {
            await receiver.RequeueAsync(delivery, lockToken);
        }
    }

    public async Task DeadLetterAsync(string queue, string lockToken, string reason, string? description, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        if (QueueNames.IsDeadLetter(queue))
        {
            throw new InvalidOperationException($"The message is already in the dead-letter queue '{queue}'.");
        }

        await registry.EnsureKnownAsync(queue, cancellationToken);
        if (HeldMessages.Holds(lockToken))
        {
            await held.DeadLetterAsync(queue, lockToken, reason, description, cancellationToken);
            relay.Notify();
            return;
        }

        var receiver = consumers.Holding(queue, lockToken);
        var delivery = receiver.Release(lockToken);
        await queues.PublishDeadLetterAsync(queue, delivery, reason, description, cancellationToken);
        await receiver.AckAsync(delivery, lockToken);
    }
}
