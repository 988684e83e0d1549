namespace IntegrationHub.Core.Messaging;

/// <summary>A message received under a peek-lock (or peeked, without a lock).</summary>
public sealed record ReceivedMessage : MessageContent
{
    /// <summary>The queue it was received from (a dead-letter queue is <c>&lt;queue&gt;/$deadletterqueue</c>).</summary>
    public required string Queue { get; init; }

    /// <summary>The transport's position of the message in its queue.</summary>
    public required long SequenceNumber { get; init; }

    /// <summary>How many times it has been delivered, this delivery included.</summary>
    public required int DeliveryCount { get; init; }

    /// <summary>When it was enqueued.</summary>
    public required DateTimeOffset EnqueuedTimeUtc { get; init; }

    /// <summary>The token of the lock held on it; empty for a peeked message.</summary>
    public string LockToken { get; init; } = "";

    /// <summary>When the lock expires unless renewed.</summary>
    public DateTimeOffset LockedUntilUtc { get; init; }

    /// <summary>Why it was dead-lettered (<c>DeadLetterReason</c>), for a dead letter.</summary>
    public string? DeadLetterReason { get; init; }

    /// <summary>The description given when it was dead-lettered (<c>DeadLetterErrorDescription</c>).</summary>
    public string? DeadLetterErrorDescription { get; init; }

    /// <summary>The queue it was dead-lettered from, for a dead letter.</summary>
    public string? DeadLetterSource { get; init; }

    /// <summary>When it was dead-lettered, for a dead letter (the hub's addition to the Service Bus properties).</summary>
    public DateTimeOffset? DeadLetteredTimeUtc { get; init; }
}
