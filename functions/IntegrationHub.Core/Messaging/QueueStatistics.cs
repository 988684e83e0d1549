namespace IntegrationHub.Core.Messaging;

/// <summary>A queue's message counts, as Service Bus names them.</summary>
public sealed record QueueStatistics
{
    /// <summary>The queue.</summary>
    public required string Queue { get; init; }

    /// <summary>Messages ready to be received now.</summary>
    public required long ActiveMessageCount { get; init; }

    /// <summary>
    /// Messages received and not yet settled (in flight under a lock). On RabbitMQ this counts the
    /// locks held by this process only; the broker does not report other consumers' over AMQP.
    /// </summary>
    public required long LockedMessageCount { get; init; }

    /// <summary>Messages scheduled for later delivery, or abandoned with a delay and not yet due.</summary>
    public required long ScheduledMessageCount { get; init; }

    /// <summary>Messages in the queue's dead-letter queue.</summary>
    public required long DeadLetterMessageCount { get; init; }
}
