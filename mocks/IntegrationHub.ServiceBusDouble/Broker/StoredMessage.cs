namespace IntegrationHub.ServiceBusDouble.Broker;

/// <summary>Where a stored message is in its life, as Service Bus's <c>x-opt-message-state</c> numbers it.</summary>
internal enum MessageState
{
    Active = 0,
    Deferred = 1,
    Scheduled = 2,
}

/// <summary>
/// A message held by an entity: the AMQP message exactly as its sender encoded it, and the broker's
/// state around it (sequence number, enqueue time, deliveries, lock).
/// </summary>
internal sealed class StoredMessage
{
    public StoredMessage(byte[] encoded, IncomingMessageInfo info, long sequenceNumber)
    {
        Encoded = encoded;
        MessageId = info.MessageId;
        TimeToLive = info.TimeToLive;
        SequenceNumber = sequenceNumber;
    }

    /// <summary>The message's sections as sent (with any properties changed by a settlement since).</summary>
    public byte[] Encoded { get; set; }

    public string? MessageId { get; }

    public TimeSpan? TimeToLive { get; }

    /// <summary>When a scheduled message becomes active.</summary>
    public DateTimeOffset? ScheduledAt { get; set; }

    /// <summary>Set again when a scheduled message becomes active: Service Bus then numbers it anew.</summary>
    public long SequenceNumber { get; set; }

    public DateTimeOffset EnqueuedTime { get; set; }

    public MessageState State { get; set; }

    /// <summary>How often the message has been delivered under a lock (the SDK shows this as DeliveryCount).</summary>
    public int Deliveries { get; set; }

    public Guid? LockToken { get; set; }

    public DateTimeOffset LockedUntil { get; set; }

    public bool IsLocked => LockToken is not null;

    /// <summary>When the message expires, from its own time to live or the entity's default.</summary>
    public DateTimeOffset ExpiresAt(TimeSpan defaultTimeToLive)
    {
        TimeSpan ttl = TimeToLive ?? defaultTimeToLive;
        return ttl >= DateTimeOffset.MaxValue - EnqueuedTime ? DateTimeOffset.MaxValue : EnqueuedTime + ttl;
    }

    public void Unlock()
    {
        LockToken = null;
        LockedUntil = default;
    }
}

/// <summary>What the broker reads from a message as it arrives.</summary>
internal readonly record struct IncomingMessageInfo(string? MessageId, TimeSpan? TimeToLive, DateTimeOffset? ScheduledEnqueueTime);
