using Microsoft.Azure.Amqp;

namespace IntegrationHub.ServiceBusDouble.Broker;

/// <summary>Delivery to receivers, settlement, lock renewal, peek and receive by sequence number.</summary>
internal sealed partial class DoubleQueue
{
    readonly List<(IDeliveryTarget Target, EntityStore Entity)> targets = [];
    int nextTarget;

    public void AddTarget(IDeliveryTarget target, bool deadLetterQueue)
    {
        lock (gate)
        {
            targets.Add((target, Entity(deadLetterQueue)));
        }
    }

    public void RemoveTarget(IDeliveryTarget target)
    {
        lock (gate)
        {
            targets.RemoveAll(t => t.Target == target);
        }
    }

    /// <summary>
    /// Delivers available messages to receivers with credit until one or the other runs out, then arms
    /// the timer for what those deliveries made due (their locks' expiry): a delivery made when a
    /// receiver's credit arrives must have its lock expire like any other.
    /// </summary>
    public void Pump()
    {
        Deliver();
        Reschedule();
    }

    void Deliver()
    {
        while (true)
        {
            (IDeliveryTarget Target, AmqpMessage Message, StoredMessage Stored, Guid Token)? next;
            lock (gate)
            {
                next = NextDelivery(Now());
            }

            if (next is not { } delivery)
            {
                return;
            }

            if (!delivery.Target.TrySend(delivery.Message, delivery.Token))
            {
                delivery.Message.Dispose();
                lock (gate)
                {
                    Undeliver(delivery.Target, delivery.Stored, delivery.Token);
                }

                return;
            }
        }
    }

    public SettleResult Settle(bool deadLetterQueue, Guid lockToken, Settlement settlement)
    {
        SettleResult result;
        lock (gate)
        {
            DateTimeOffset now = Now();
            Sweep(now);
            EntityStore entity = Entity(deadLetterQueue);
            result = entity.Locked(lockToken, now) is { } message ? Apply(entity, message, settlement) : SettleResult.LockLost;
        }

        Pump();
        return result;
    }

    /// <summary>Renews a lock for another lock duration; null when the lock is already lost.</summary>
    public DateTimeOffset? RenewLock(bool deadLetterQueue, Guid lockToken)
    {
        lock (gate)
        {
            DateTimeOffset now = Now();
            Sweep(now);
            if (Entity(deadLetterQueue).Locked(lockToken, now) is not { } message)
            {
                return null;
            }

            // A later expiry needs no timer change: an early wake finds nothing due and re-arms.
            message.LockedUntil = now + Settings.LockDuration;
            return message.LockedUntil;
        }
    }

    /// <summary>Peeks from a sequence number: active, locked, deferred and scheduled messages alike.</summary>
    public IReadOnlyList<ArraySegment<byte>> Peek(bool deadLetterQueue, long fromSequenceNumber, int count)
    {
        lock (gate)
        {
            Sweep(Now());
            return Entity(deadLetterQueue).Peek(fromSequenceNumber, count)
                .Select(m => MessageCodec.Encode(MessageCodec.ForDelivery(m, m.Deliveries)))
                .ToList();
        }
    }

    /// <summary>
    /// Receives deferred messages by sequence number, locked (or removed when receive-and-delete);
    /// null when any number does not name a deferred message.
    /// </summary>
    public IReadOnlyList<(ArraySegment<byte> Message, Guid LockToken)>? ReceiveDeferred(bool deadLetterQueue, long[] sequenceNumbers, bool peekLock)
    {
        lock (gate)
        {
            DateTimeOffset now = Now();
            Sweep(now);
            EntityStore entity = Entity(deadLetterQueue);
            List<StoredMessage> found = sequenceNumbers.Select(entity.Find).OfType<StoredMessage>()
                .Where(m => m.State == MessageState.Deferred && !m.IsLocked).ToList();
            if (found.Count != sequenceNumbers.Length)
            {
                return null;
            }

            var received = new List<(ArraySegment<byte>, Guid)>();
            foreach (StoredMessage message in found)
            {
                if (!peekLock)
                {
                    entity.Remove(message);
                    received.Add((MessageCodec.Encode(MessageCodec.ForDelivery(message, message.Deliveries)), Guid.Empty));
                    continue;
                }

                Guid token = entity.Lock(message, now + Settings.LockDuration);
                Due(message.LockedUntil);
                received.Add((MessageCodec.Encode(MessageCodec.ForDelivery(message, message.Deliveries - 1)), token));
            }

            return received;
        }
    }

    (IDeliveryTarget, AmqpMessage, StoredMessage, Guid)? NextDelivery(DateTimeOffset now)
    {
        Sweep(now);
        for (int i = 0; i < targets.Count; i++)
        {
            (IDeliveryTarget target, EntityStore entity) = targets[(nextTarget + i) % targets.Count];
            if (!target.HasCredit || entity.FirstAvailable() is not { } message)
            {
                continue;
            }

            nextTarget = (nextTarget + i + 1) % targets.Count;
            if (target.ReceiveAndDelete)
            {
                entity.Remove(message);
                return (target, MessageCodec.ForDelivery(message, message.Deliveries), message, Guid.Empty);
            }

            Guid token = entity.Lock(message, now + Settings.LockDuration);
            Due(message.LockedUntil);
            return (target, MessageCodec.ForDelivery(message, message.Deliveries - 1), message, token);
        }

        return null;
    }

    /// <summary>Puts back a message a link could not take after all, as if it had not been delivered.</summary>
    void Undeliver(IDeliveryTarget target, StoredMessage message, Guid token)
    {
        (_, EntityStore entity) = targets.FirstOrDefault(t => t.Target == target);
        entity ??= Main;
        if (target.ReceiveAndDelete)
        {
            entity.Add(message);
        }
        else if (message.LockToken == token)
        {
            entity.Unlock(message);
            message.Deliveries--;
        }
    }

    SettleResult Apply(EntityStore entity, StoredMessage message, Settlement settlement)
    {
        if (settlement.Kind == SettlementKind.DeadLetter && entity.IsDeadLetterQueue)
        {
            return SettleResult.NotAllowed;
        }

        if (settlement.PropertiesToModify is { Count: > 0 } properties && settlement.Kind != SettlementKind.DeadLetter)
        {
            message.Encoded = MessageCodec.WithApplicationProperties(message.Encoded, properties);
        }

        switch (settlement.Kind)
        {
            case SettlementKind.Complete:
                entity.Remove(message);
                break;
            case SettlementKind.Abandon:
                entity.Unlock(message);
                AfterLockReleased(entity, message);
                break;
            case SettlementKind.Defer:
                // A defer ends a delivery like an abandon: at MaxDeliveryCount it dead-letters
                // (Azure/azure-service-bus#375, "DeferAsync() moves the message to the DLQ if Max Delivery Count is 1").
                entity.Unlock(message);
                message.State = MessageState.Deferred;
                AfterLockReleased(entity, message);
                break;
            case SettlementKind.Release:
                entity.Unlock(message);
                message.Deliveries--;
                break;
            default:
                MoveToDeadLetter(message, settlement.DeadLetterReason, settlement.DeadLetterDescription, settlement.PropertiesToModify);
                break;
        }

        return SettleResult.Settled;
    }

    /// <summary>Notes an instant something falls due; the timer is armed for the earliest.</summary>
    void Due(DateTimeOffset at)
    {
        if (at < nextDue)
        {
            nextDue = at;
        }
    }

    void Reschedule()
    {
        DateTimeOffset at;
        TimeSpan dueIn;
        lock (gate)
        {
            if (nextDue >= armedFor || nextDue == DateTimeOffset.MaxValue)
            {
                return;
            }

            at = armedFor = nextDue;
            dueIn = at - Now();
        }

        timer.Change(dueIn < TimeSpan.Zero ? TimeSpan.Zero : dueIn, Timeout.InfiniteTimeSpan);

        // A clock moved on between reading it and arming the timer (a test's clock advanced from another
        // thread) leaves the timer armed too late: then it runs now.
        if (Now() >= at)
        {
            timer.Change(TimeSpan.Zero, Timeout.InfiniteTimeSpan);
        }
    }

    void OnTimer()
    {
        lock (gate)
        {
            Sweep(Now());
            armedFor = DateTimeOffset.MaxValue;
            nextDue = DateTimeOffset.MaxValue;
            foreach (StoredMessage message in Main.All.Concat(DeadLetter.All))
            {
                NoteDue(message);
            }
        }

        Pump();
    }

    void NoteDue(StoredMessage message)
    {
        if (message.IsLocked)
        {
            Due(message.LockedUntil);
        }

        if (message.State == MessageState.Scheduled && message.ScheduledAt is { } at)
        {
            Due(at);
        }
        else if (message.State == MessageState.Active && Main.Find(message.SequenceNumber) == message)
        {
            Due(message.ExpiresAt(Settings.DefaultMessageTimeToLive));
        }
    }
}
