namespace IntegrationHub.Core.Messaging;

/// <summary>
/// Declares and inspects queues. Queues come into being at runtime (a department added to the
/// routing table gets its queue when it is first needed), so declaring is idempotent.
/// </summary>
public interface IQueueAdmin
{
    /// <summary>Declares the queue and its dead-letter queue; does nothing when both exist.</summary>
    Task EnsureQueueAsync(string queue, CancellationToken cancellationToken);

    /// <summary>The declared queues (not their dead-letter queues), by name.</summary>
    Task<IReadOnlyList<string>> ListQueuesAsync(CancellationToken cancellationToken);

    /// <summary>How many messages the queue holds, by state.</summary>
    Task<QueueStatistics> GetStatisticsAsync(string queue, CancellationToken cancellationToken);
}
