namespace IntegrationHub.Core.Messaging;

/// <summary>
/// Settles a message received under a peek-lock, by its queue and lock token alone, so that whoever
/// holds the token settles it: the function that received it, or a department acknowledging a pull on
/// another hub instance. An unknown or expired token throws <see cref="MessageLockLostException"/>.
/// </summary>
public interface IQueueSettlement
{
    /// <summary>Extends the lock; returns its new expiry.</summary>
    Task<DateTimeOffset> RenewLockAsync(string queue, string lockToken, CancellationToken cancellationToken);

    /// <summary>Removes the message: it was processed.</summary>
    Task CompleteAsync(string queue, string lockToken, CancellationToken cancellationToken);

    /// <summary>
    /// Releases the lock so that the message is delivered again, after <paramref name="delay"/> when
    /// given; a message out of deliveries goes to the dead-letter queue (<c>MaxDeliveryCountExceeded</c>).
    /// </summary>
    Task AbandonAsync(string queue, string lockToken, TimeSpan? delay, CancellationToken cancellationToken);

    /// <summary>Moves the message to its queue's dead-letter queue with a reason and a description.</summary>
    Task DeadLetterAsync(string queue, string lockToken, string reason, string? description, CancellationToken cancellationToken);
}
