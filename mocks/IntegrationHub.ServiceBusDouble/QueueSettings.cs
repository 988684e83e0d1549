namespace IntegrationHub.ServiceBusDouble;

/// <summary>
/// The settings of a queue on the double, with a real namespace's defaults (the values an ATOM
/// create request without them gets on Azure).
/// </summary>
public sealed record QueueSettings
{
    /// <summary>Longest lock Azure Service Bus accepts (docs: CreateQueueOptions.LockDuration, "Max value is 5 minutes").</summary>
    public static readonly TimeSpan MaximumLockDuration = TimeSpan.FromMinutes(5);

    /// <summary>How long a peek-locked message stays locked. <value>Default 1 minute; at most 5 minutes.</value></summary>
    public TimeSpan LockDuration { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Deliveries after which an abandoned or expired lock dead-letters the message. <value>Default 10.</value></summary>
    public int MaxDeliveryCount { get; init; } = 10;

    /// <summary>Whether sends are deduplicated on <c>MessageId</c>. <value>Default false.</value></summary>
    public bool RequiresDuplicateDetection { get; init; }

    /// <summary>How long a <c>MessageId</c> is remembered. <value>Default 10 minutes; 20 seconds to 7 days.</value></summary>
    public TimeSpan DuplicateDetectionHistoryTimeWindow { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>The time to live of a message that sets none. <value>Default <see cref="TimeSpan.MaxValue"/>.</value></summary>
    public TimeSpan DefaultMessageTimeToLive { get; init; } = TimeSpan.MaxValue;

    /// <summary>Whether expired messages go to the dead-letter queue instead of being dropped. <value>Default false.</value></summary>
    public bool DeadLetteringOnMessageExpiration { get; init; }

    /// <summary>The queue's size quota, reported back; the double does not enforce it. <value>Default 1024.</value></summary>
    public long MaxSizeInMegabytes { get; init; } = 1024;

    /// <summary>Free text kept with the queue. <value>Default none.</value></summary>
    public string? UserMetadata { get; init; }

    /// <summary>Settings error as a namespace would word it, or null when they are valid.</summary>
    internal string? Validate()
    {
        if (LockDuration <= TimeSpan.Zero || LockDuration > MaximumLockDuration)
        {
            return "LockDuration must be positive and at most 5 minutes.";
        }

        if (MaxDeliveryCount < 1)
        {
            return "MaxDeliveryCount must be at least 1.";
        }

        if (DuplicateDetectionHistoryTimeWindow < TimeSpan.FromSeconds(20) || DuplicateDetectionHistoryTimeWindow > TimeSpan.FromDays(7))
        {
            return "DuplicateDetectionHistoryTimeWindow must be between 20 seconds and 7 days.";
        }

        return DefaultMessageTimeToLive <= TimeSpan.Zero ? "DefaultMessageTimeToLive must be positive." : null;
    }
}
