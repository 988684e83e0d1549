namespace IntegrationHub.Core.Messaging;

/// <summary>Sends messages to queues.</summary>
public interface IQueueSender
{
    /// <summary>Sends one message; durable when the task completes.</summary>
    Task SendAsync(string queue, OutgoingMessage message, CancellationToken cancellationToken);

    /// <summary>Sends messages as one batch; all are durable when the task completes.</summary>
    Task SendBatchAsync(string queue, IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken);
}

/// <summary>
/// A queue transport with Azure Service Bus semantics: peek-lock receive, lock renewal,
/// complete / abandon (optionally delayed) / dead-letter, delivery counts with a maximum, scheduled
/// delivery, duplicate detection by message id, and a dead-letter queue per queue
/// (<c>&lt;queue&gt;/$deadletterqueue</c>).
/// </summary>
public interface IQueueClient : IQueueSender
{
    /// <summary>
    /// Receives up to <paramref name="maxMessages"/> under a peek-lock, waiting up to
    /// <paramref name="maxWait"/> for the first one; empty when none arrived.
    /// </summary>
    Task<IReadOnlyList<ReceivedMessage>> ReceiveAsync(string queue, int maxMessages, TimeSpan maxWait, CancellationToken cancellationToken);

    /// <summary>Reads messages without locking them, from a sequence number on.</summary>
    Task<IReadOnlyList<ReceivedMessage>> PeekAsync(string queue, long fromSequenceNumber, int maxMessages, CancellationToken cancellationToken);

    /// <summary>Extends the lock; returns its new expiry.</summary>
    Task<DateTimeOffset> RenewLockAsync(ReceivedMessage message, CancellationToken cancellationToken);

    /// <summary>Removes the message: it was processed.</summary>
    Task CompleteAsync(ReceivedMessage message, CancellationToken cancellationToken);

    /// <summary>Releases the lock so that the message is delivered again, after <paramref name="delay"/> when given.</summary>
    Task AbandonAsync(ReceivedMessage message, TimeSpan? delay, CancellationToken cancellationToken);

    /// <summary>Moves the message to its queue's dead-letter queue with a reason and a description.</summary>
    Task DeadLetterAsync(ReceivedMessage message, string reason, string? description, CancellationToken cancellationToken);

    /// <summary>
    /// Moves a dead letter (received under a lock from a dead-letter queue) back to its source queue,
    /// keeping its body, properties and message id. Duplicate detection does not apply to a replay;
    /// the receiving function's inbox keeps its effect from happening twice.
    /// </summary>
    Task ReplayAsync(ReceivedMessage deadLetter, CancellationToken cancellationToken);

    /// <summary>
    /// Replays one dead letter found by a peek, without receiving it first: the message of
    /// <paramref name="deadLetterQueue"/> with <paramref name="sequenceNumber"/> and
    /// <paramref name="messageId"/> goes back to its source queue as <see cref="ReplayAsync"/> sends it
    /// (message id, properties and correlation id kept), with <paramref name="replacementBody"/> in
    /// place of its body when given (an operator's correction). False when it is not there to take:
    /// replayed already, or held under a lock by a receiver of the dead-letter queue.
    /// </summary>
    /// <exception cref="MessageSizeExceededException">The replacement body makes the message too large; nothing moved.</exception>
    Task<bool> ReplayDeadLetterAsync(string deadLetterQueue, long sequenceNumber, string messageId, ReadOnlyMemory<byte>? replacementBody, CancellationToken cancellationToken);
}

/// <summary>
/// Receives for a consumer outside the hub that settles each message in a later call, which may reach
/// another hub instance (a department system pulling over HTTP behind a load balancer): the lock is
/// kept in the hub store, not by the receiving process, so that every instance can renew or settle it
/// through <see cref="IQueueClient"/> with the queue and the lock token alone. Not for dead-letter queues.
/// </summary>
public interface ISharedLockReceiver
{
    /// <summary>
    /// Receives up to <paramref name="maxMessages"/> under a shared lock, waiting up to
    /// <paramref name="maxWait"/> for the first one; empty when none arrived.
    /// </summary>
    Task<IReadOnlyList<ReceivedMessage>> ReceiveAsync(string queue, int maxMessages, TimeSpan maxWait, CancellationToken cancellationToken);
}

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

/// <summary>Starts units of work on the hub's store.</summary>
public interface IHubTransactions
{
    /// <summary>Starts a unit of work.</summary>
    ValueTask<IHubTransaction> BeginAsync(CancellationToken cancellationToken);
}
