namespace IntegrationHub.Core.Messaging;

/// <summary>
/// Sends dead letters back to their source queue, keeping body, properties and message id.
/// Duplicate detection does not apply to a replay; the receiving function's inbox keeps its effect
/// from happening twice.
/// </summary>
public interface IDeadLetterReplay
{
    /// <summary>
    /// Moves a dead letter received under a lock from <paramref name="deadLetterQueue"/> back to its
    /// source queue, as a new delivery.
    /// </summary>
    Task ReplayAsync(string deadLetterQueue, string lockToken, CancellationToken cancellationToken);

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
