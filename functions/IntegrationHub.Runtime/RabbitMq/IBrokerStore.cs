namespace IntegrationHub.Runtime.RabbitMq;

/// <summary>
/// What the RabbitMQ transport keeps in the hub store on its hot paths, in each database's own SQL:
/// the outbox the relay claims, publishes and deletes, and the duplicate-detection claims checked on
/// every delivery. Several instances relay one outbox at once: a claimed row is theirs alone until
/// its claim runs out.
/// </summary>
internal interface IBrokerStore
{
    /// <summary>Claims up to <paramref name="max"/> due messages, oldest first.</summary>
    Task<List<OutboxMessage>> ClaimDueAsync(DateTimeOffset now, int max, CancellationToken cancellationToken);

    /// <summary>When the next message is due (claimed ones count from their claim's end).</summary>
    Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken);

    /// <summary>Deletes published messages.</summary>
    Task DeleteAsync(IReadOnlyList<long> ids, CancellationToken cancellationToken);

    /// <summary>Gives claimed rows back, to be claimed again at once.</summary>
    Task UnclaimAsync(IReadOnlyList<long> ids, CancellationToken cancellationToken);

    /// <summary>For each copy, whether it is a duplicate, and how often it was peeked (see <see cref="DuplicateDetection"/>).</summary>
    Task<(bool Duplicate, int Peeks)[]> CheckAsync(string queue, IReadOnlyList<ReceivedCopy> copies, TimeSpan window, CancellationToken cancellationToken);

    /// <summary>Counts a peek of each copy (a read the broker took for a delivery).</summary>
    Task RecordPeeksAsync(string queue, IReadOnlyList<ReceivedCopy> copies, TimeSpan window, CancellationToken cancellationToken);
}
