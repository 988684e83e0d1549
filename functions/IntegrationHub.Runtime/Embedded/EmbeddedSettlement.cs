using IntegrationHub.Core.Messaging;
using IntegrationHub.Runtime.Queues;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Runtime.Embedded;

/// <summary>Settles embedded messages by queue and lock token: the token names the row and the lock on it.</summary>
internal sealed class EmbeddedSettlement(EmbeddedLocks locks, EmbeddedCompletions completions, QueueRegistry registry, QueueSignals signals, IOptions<MessagingOptions> options) : IQueueSettlement
{
    public Task<DateTimeOffset> RenewLockAsync(string queue, string lockToken, CancellationToken cancellationToken) =>
        locks.ChangeAsync(queue, lockToken, (connection, token, now) => EmbeddedMessages.Renew(connection, token, now, options.Value.LockDuration), cancellationToken);

    public async Task CompleteAsync(string queue, string lockToken, CancellationToken cancellationToken)
    {
        await registry.EnsureKnownAsync(queue, cancellationToken);
        await completions.CompleteAsync(LockToken.Parse(queue, lockToken), cancellationToken);
    }

    public async Task AbandonAsync(string queue, string lockToken, TimeSpan? delay, CancellationToken cancellationToken)
    {
        await locks.ChangeAsync(queue, lockToken, (connection, token, now) => EmbeddedMessages.Abandon(connection, token, delay, now, options.Value.MaxDeliveryCount), cancellationToken);
        signals.Notify(queue);
    }

    public Task DeadLetterAsync(string queue, string lockToken, string reason, string? description, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return locks.ChangeAsync(queue, lockToken, (connection, token, now) => EmbeddedMessages.DeadLetter(connection, token, reason, description, now), cancellationToken);
    }
}
