namespace IntegrationHub.Core.Messaging;

/// <summary>
/// Receives for a consumer outside the hub that settles each message in a later call, which may reach
/// another hub instance (a department system pulling over HTTP behind a load balancer): the lock is
/// kept in the hub store, not by the receiving process, so that every instance can renew or settle it
/// through <see cref="IQueueSettlement"/> with the queue and the lock token alone. Not for dead-letter queues.
/// </summary>
public interface ISharedLockReceiver
{
    /// <summary>
    /// Receives up to <paramref name="maxMessages"/> under a shared lock, waiting up to
    /// <paramref name="maxWait"/> for the first one; empty when none arrived.
    /// </summary>
    Task<IReadOnlyList<ReceivedMessage>> ReceiveAsync(string queue, int maxMessages, TimeSpan maxWait, CancellationToken cancellationToken);
}
