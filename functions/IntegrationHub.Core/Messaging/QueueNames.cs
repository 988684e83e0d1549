namespace IntegrationHub.Core.Messaging;

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
