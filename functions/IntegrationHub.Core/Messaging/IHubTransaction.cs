namespace IntegrationHub.Core.Messaging;

/// <summary>
/// One unit of work on the hub's store: the state changes a function makes, the messages they
/// produce and the record that the incoming message was processed commit together or not at all.
/// The embedded transport writes the messages in the same SQLite transaction; a broker transport
/// writes them to an outbox that is relayed after commit.
/// </summary>
public interface IHubTransaction : IAsyncDisposable
{
    /// <summary>Sends a message when (and only if) the transaction commits.</summary>
    void Send(string queue, OutgoingMessage message);

    /// <summary>
    /// Puts a message straight into <paramref name="queue"/>'s dead-letter queue with a reason and a
    /// description, when the transaction commits: for bad input that arrived without a queue message
    /// (from a timer or a webhook), so that it is kept for an operator, never dropped.
    /// </summary>
    void DeadLetter(string queue, OutgoingMessage message, string reason, string? description);

    /// <summary>
    /// Records that <paramref name="consumer"/> processed <paramref name="messageId"/> (the inbox);
    /// false when it already had, in which case the function does nothing.
    /// </summary>
    ValueTask<bool> TryRecordProcessedAsync(string consumer, string messageId, CancellationToken cancellationToken);

    /// <summary>Commits; nothing is visible to others before.</summary>
    ValueTask CommitAsync(CancellationToken cancellationToken);
}
