using IntegrationHub.Runtime.Queues;
using IntegrationHub.Runtime.Store;
using Microsoft.Data.Sqlite;

namespace IntegrationHub.Runtime.Embedded;

/// <summary>
/// Runs a change on a locked message of the embedded transport, found by its queue and lock token:
/// each is one statement that changes one row, or none and throws <see cref="IntegrationHub.Core.Messaging.MessageLockLostException"/>,
/// so there is nothing to undo.
/// </summary>
internal sealed class EmbeddedLocks(HubWriter writer, QueueRegistry registry, TimeProvider time)
{
    public async Task<T> ChangeAsync<T>(string queue, string lockToken, Func<SqliteConnection, LockToken, DateTimeOffset, T> change, CancellationToken cancellationToken)
    {
        await registry.EnsureKnownAsync(queue, cancellationToken);
        var token = LockToken.Parse(queue, lockToken);
        return await writer.RunAsync(connection => change(connection, token, time.GetUtcNow()), cancellationToken, isolated: false);
    }

    public Task ChangeAsync(string queue, string lockToken, Action<SqliteConnection, LockToken, DateTimeOffset> change, CancellationToken cancellationToken) =>
        ChangeAsync(
            queue,
            lockToken,
            (connection, token, now) =>
            {
                change(connection, token, now);
                return true;
            },
            cancellationToken);
}
