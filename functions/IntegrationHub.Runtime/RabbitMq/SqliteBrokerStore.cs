using IntegrationHub.Runtime.Store;

namespace IntegrationHub.Runtime.RabbitMq;

/// <summary>The broker's bookkeeping on SQLite, through the hub writer.</summary>
internal sealed class SqliteBrokerStore(HubWriter writer) : IBrokerStore
{
    public Task<List<OutboxMessage>> ClaimDueAsync(DateTimeOffset now, int max, CancellationToken cancellationToken) =>
        writer.RunAsync(connection => SqliteOutbox.ClaimDue(connection, now, max), cancellationToken, isolated: false);

    public Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken) => writer.RunAsync(SqliteOutbox.NextDue, cancellationToken, isolated: false);

    public Task DeleteAsync(IReadOnlyList<long> ids, CancellationToken cancellationToken) =>
        writer.RunAsync(connection =>
        {
            SqliteOutbox.Delete(connection, ids);
            return ids.Count;
        }, cancellationToken, isolated: false);

    public Task UnclaimAsync(IReadOnlyList<long> ids, CancellationToken cancellationToken) =>
        writer.RunAsync(connection =>
        {
            SqliteOutbox.Unclaim(connection, ids);
            return ids.Count;
        }, cancellationToken, isolated: false);

    // A claim lost in a crash only lets a later duplicate through to the consumer's inbox, so the
    // deliveries need not wait for it to reach the disk.
    public Task<(bool Duplicate, int Peeks)[]> CheckAsync(string queue, IReadOnlyList<ReceivedCopy> copies, TimeSpan window, CancellationToken cancellationToken) =>
        writer.RunAsync(connection => DuplicateDetection.Check(connection, queue, copies, window), cancellationToken, isolated: false, awaitCommit: false);

    public Task RecordPeeksAsync(string queue, IReadOnlyList<ReceivedCopy> copies, TimeSpan window, CancellationToken cancellationToken) =>
        writer.RunAsync(connection =>
        {
            DuplicateDetection.RecordPeeks(connection, queue, copies, window);
            return copies.Count;
        }, cancellationToken);
}
