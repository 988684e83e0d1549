namespace IntegrationHub.Core.Messaging;

/// <summary>
/// Receives from queues with Azure Service Bus semantics: peek-lock receive (the lock is settled
/// through <see cref="IQueueSettlement"/> with the queue and the lock token), and peeks that lock
/// nothing. A dead-letter queue is <c>&lt;queue&gt;/$deadletterqueue</c>.
/// </summary>
public interface IQueueReceiver
{
    /// <summary>
    /// Receives up to <paramref name="maxMessages"/> under a peek-lock, waiting up to
    /// <paramref name="maxWait"/> for the first one; empty when none arrived.
    /// </summary>
    Task<IReadOnlyList<ReceivedMessage>> ReceiveAsync(string queue, int maxMessages, TimeSpan maxWait, CancellationToken cancellationToken);

    /// <summary>Reads messages without locking them, from a sequence number on.</summary>
    Task<IReadOnlyList<ReceivedMessage>> PeekAsync(string queue, long fromSequenceNumber, int maxMessages, CancellationToken cancellationToken);
}
