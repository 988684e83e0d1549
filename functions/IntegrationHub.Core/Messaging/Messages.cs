using System.Collections.Frozen;

namespace IntegrationHub.Core.Messaging;

/// <summary>
/// A message to send, with the properties of an Azure Service Bus message so that the functions
/// mean the same thing on every transport.
/// </summary>
public sealed record OutgoingMessage
{
    /// <summary>
    /// Identifies the message; derived from the business key and the step (e.g.
    /// <c>route:G22.99-241205-000123</c>), so that a resend is recognised as a duplicate.
    /// </summary>
    public required string MessageId { get; init; }

    /// <summary>The payload (UTF-8 JSON unless <see cref="ContentType"/> says otherwise).</summary>
    public required ReadOnlyMemory<byte> Body { get; init; }

    /// <summary>Ties the messages of one dossier together (its portal code).</summary>
    public string? CorrelationId { get; init; }

    /// <summary>What the message is (its contract name, e.g. <c>DossierRouted</c>).</summary>
    public string? Subject { get; init; }

    /// <summary>The payload's media type.</summary>
    public string ContentType { get; init; } = "application/json";

    /// <summary>Application properties (e.g. <c>traceparent</c>).</summary>
    public IReadOnlyDictionary<string, string> ApplicationProperties { get; init; } = FrozenDictionary<string, string>.Empty;

    /// <summary>Deliver no earlier than this instant (scheduled delivery).</summary>
    public DateTimeOffset? ScheduledEnqueueTimeUtc { get; init; }
}

/// <summary>A message received under a peek-lock (or peeked, without a lock).</summary>
public sealed record ReceivedMessage
{
    /// <summary>The queue it was received from (a dead-letter queue is <c>&lt;queue&gt;/$deadletterqueue</c>).</summary>
    public required string Queue { get; init; }

    /// <summary>The message id.</summary>
    public required string MessageId { get; init; }

    /// <summary>The payload, as it was sent.</summary>
    public required ReadOnlyMemory<byte> Body { get; init; }

    /// <summary>The correlation id it was sent with.</summary>
    public string? CorrelationId { get; init; }

    /// <summary>The subject it was sent with.</summary>
    public string? Subject { get; init; }

    /// <summary>The payload's media type, as sent.</summary>
    public string ContentType { get; init; } = "application/json";

    /// <summary>Application properties, as sent (the transports' own <c>x-</c> ones left out).</summary>
    public IReadOnlyDictionary<string, string> ApplicationProperties { get; init; } = FrozenDictionary<string, string>.Empty;

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

/// <summary>Standard dead-letter reasons, as Service Bus names them, plus the hub's own.</summary>
public static class DeadLetterReasons
{
    /// <summary>Delivered more times than the queue allows.</summary>
    public const string MaxDeliveryCountExceeded = "MaxDeliveryCountExceeded";

    /// <summary>The body could not be read as the function's message type.</summary>
    public const string DeserializationFailed = "DeserializationFailed";

    /// <summary>The body does not satisfy the message's published schema.</summary>
    public const string SchemaValidationFailed = "SchemaValidationFailed";
}

/// <summary>Names of queues and their dead-letter queues.</summary>
public static class QueueNames
{
    /// <summary>The suffix of a dead-letter queue, as in Service Bus.</summary>
    public const string DeadLetterSuffix = "/$deadletterqueue";

    /// <summary>The dead-letter queue of a queue.</summary>
    public static string DeadLetterOf(string queue) => queue + DeadLetterSuffix;

    /// <summary>Whether a name is a dead-letter queue.</summary>
    public static bool IsDeadLetter(string queue) => queue.EndsWith(DeadLetterSuffix, StringComparison.Ordinal);

    /// <summary>The queue a dead-letter queue belongs to.</summary>
    public static string SourceOf(string deadLetterQueue) =>
        IsDeadLetter(deadLetterQueue) ? deadLetterQueue[..^DeadLetterSuffix.Length] : deadLetterQueue;
}
