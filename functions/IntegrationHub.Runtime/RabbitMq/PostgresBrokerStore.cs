using System.Data.Common;
using IntegrationHub.Runtime.Queues;
using IntegrationHub.Runtime.Store;
using IntegrationHub.Runtime.Store.PostgreSql;

namespace IntegrationHub.Runtime.RabbitMq;

/// <summary>
/// The broker's bookkeeping on PostgreSQL, shared by every instance: a batch travels as arrays in one
/// statement; the relays claim outbox rows with <c>FOR UPDATE SKIP LOCKED</c>, so that instances take
/// different rows without waiting on one another; duplicate claims are decided by the row each
/// message id has, which two instances claiming at once take in turn.
/// </summary>
internal sealed class PostgresBrokerStore(PostgresHubDatabase database) : IBrokerStore
{
    /// <summary>
    /// The statement that writes outbox rows on a connection inside its transaction (a hub transaction's
    /// messages), to be run or sent in a batch (dispose it); each row claimed until the time
    /// <paramref name="claims"/> gives for it (<see cref="HandedOutbox"/>; 0 for none), the ids returned
    /// with the copy ids.
    /// </summary>
    public static DbCommand Insert(DbConnection connection, IReadOnlyList<OutboxEntry> entries, Func<OutboxEntry, long> claims) =>
        connection.Command("""
            INSERT INTO hub_outbox (queue, message_id, body, correlation_id, subject, content_type, properties, copy_id, base_delivery_count, due_at, claimed_until)
            SELECT * FROM unnest(@queues, @ids, @bodies, @correlations, @subjects, @types, @properties, @copies, @deliveries, @due, @claimed)
            RETURNING id, copy_id
            """)
            .Param("@queues", Texts(entries.Select(e => e.Queue))).Param("@ids", Texts(entries.Select(e => e.Message.MessageId)))
            .Param("@bodies", entries.Select(e => e.Message.Body.ToArray()).ToArray())
            .Param("@correlations", Texts(entries.Select(e => e.Message.CorrelationId))).Param("@subjects", Texts(entries.Select(e => e.Message.Subject)))
            .Param("@types", Texts(entries.Select(e => e.Message.ContentType)))
            .Param("@properties", Texts(entries.Select(e => QueueRules.WriteProperties(e.Message.ApplicationProperties))))
            .Param("@copies", Texts(entries.Select(e => e.CopyId))).Param("@deliveries", entries.Select(e => e.Deliveries).ToArray())
            .Param("@due", entries.Select(e => e.DueAt.Ms()).ToArray()).Param("@claimed", entries.Select(claims).ToArray());

    public async Task<List<OutboxMessage>> ClaimDueAsync(DateTimeOffset now, int max, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        // The claimed ids as an array: the update then finds each row by its key, where as a join with the
        // subquery the planner (misled by a young, churning table's statistics) read the whole outbox.
        await using var claim = connection.Command($"""
            UPDATE hub_outbox SET claimed_until = @until
            WHERE id = ANY(ARRAY(
                SELECT id FROM hub_outbox WHERE due_at <= @now AND claimed_until <= @now
                ORDER BY due_at, id LIMIT @max FOR UPDATE SKIP LOCKED))
            RETURNING {OutboxRows.Columns}
            """).Param("@until", (now + SqliteOutbox.ClaimDuration).Ms()).Param("@now", now.Ms()).Param("@max", max);
        await using var reader = await claim.ExecuteReaderAsync(cancellationToken);
        return OutboxRows.Read(reader);
    }

    public async Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var select = connection.Command("SELECT MIN(GREATEST(due_at, claimed_until)) FROM hub_outbox");
        return await select.ExecuteScalarAsync(cancellationToken) is long at ? Sql.Utc(at) : null;
    }

    public Task DeleteAsync(IReadOnlyList<long> ids, CancellationToken cancellationToken) =>
        ExecuteAsync("DELETE FROM hub_outbox WHERE id = ANY(@ids)", ids, cancellationToken);

    public Task UnclaimAsync(IReadOnlyList<long> ids, CancellationToken cancellationToken) =>
        ExecuteAsync("UPDATE hub_outbox SET claimed_until = 0 WHERE id = ANY(@ids)", ids, cancellationToken);

    public async Task<(bool Duplicate, int Peeks)[]> CheckAsync(string queue, IReadOnlyList<ReceivedCopy> copies, TimeSpan window, CancellationToken cancellationToken)
    {
        // In message-id order, so that two instances claiming overlapping batches lock the rows in one order.
        var firsts = DuplicateDetection.FirstOfEachId(copies).OrderBy(c => c.MessageId, StringComparer.Ordinal).ToList();
        var claimedNow = new Dictionary<string, int>(firsts.Count, StringComparer.Ordinal);
        await using var connection = await database.OpenNpgsqlAsync(cancellationToken);
        await using (var claim = connection.Command("""
            INSERT INTO hub_duplicate_detection AS d (queue, message_id, copy_id, expires_at, delivered)
            SELECT @queue, t.id, t.copy, t.expires, 1 FROM unnest(@ids, @copies, @expires) WITH ORDINALITY AS t(id, copy, expires, n) ORDER BY t.n
            ON CONFLICT (queue, message_id) DO UPDATE SET
                copy_id = excluded.copy_id,
                expires_at = CASE WHEN d.expires_at <= excluded.expires_at - @window THEN excluded.expires_at ELSE d.expires_at END,
                peeks = CASE WHEN d.expires_at <= excluded.expires_at - @window THEN 0 ELSE d.peeks END,
                delivered = 1
            WHERE d.expires_at <= excluded.expires_at - @window OR (d.copy_id = excluded.copy_id AND d.delivered = 0)
            RETURNING message_id, peeks
            """))
        {
            // A claim lost in a crash only lets a later duplicate through to the consumer's inbox (as on
            // SQLite), so the deliveries need not wait for it to reach the disk.
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using var batch = UnflushedCommit.Of(connection, transaction, PositionalStatements.ForBatch(Bind(claim, queue, firsts, window)));
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
            do
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    claimedNow[reader.Text("message_id")] = reader.Int32("peeks");
                }
            }
            while (await reader.NextResultAsync(cancellationToken));
        }

        var owners = new Dictionary<string, (string CopyId, int Peeks)>(StringComparer.Ordinal);
        var needing = DuplicateDetection.NeedingOwners(firsts, claimedNow);
        if (needing.Count > 0)
        {
            await using var select = connection.Command("SELECT message_id, copy_id, peeks FROM hub_duplicate_detection WHERE queue = @queue AND message_id = ANY(@ids)")
                .Param("@queue", queue).Param("@ids", Texts(needing.Select(c => c.MessageId)));
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                owners[reader.Text("message_id")] = (reader.Text("copy_id"), reader.Int32("peeks"));
            }
        }

        return DuplicateDetection.Decide(copies, claimedNow, owners);
    }

    public async Task RecordPeeksAsync(string queue, IReadOnlyList<ReceivedCopy> copies, TimeSpan window, CancellationToken cancellationToken)
    {
        var firsts = DuplicateDetection.FirstOfEachId(copies).OrderBy(c => c.MessageId, StringComparer.Ordinal).ToList();
        await using var connection = await database.OpenAsync(cancellationToken);
        // Claims the id for the copy unless another copy holds it within the window, then counts the peek
        // of the copy that holds it (a peek of a duplicate counts for nothing: it will be dropped).
        await using var peek = connection.Command("""
            INSERT INTO hub_duplicate_detection AS d (queue, message_id, copy_id, expires_at, peeks, delivered)
            SELECT @queue, t.id, t.copy, t.expires, 1, 0 FROM unnest(@ids, @copies, @expires) WITH ORDINALITY AS t(id, copy, expires, n) ORDER BY t.n
            ON CONFLICT (queue, message_id) DO UPDATE SET
                copy_id = CASE WHEN d.expires_at <= excluded.expires_at - @window THEN excluded.copy_id ELSE d.copy_id END,
                delivered = CASE WHEN d.expires_at <= excluded.expires_at - @window THEN 0 ELSE d.delivered END,
                peeks = CASE WHEN d.expires_at <= excluded.expires_at - @window THEN 1 WHEN d.copy_id = excluded.copy_id THEN d.peeks + 1 ELSE d.peeks END,
                expires_at = CASE WHEN d.expires_at <= excluded.expires_at - @window THEN excluded.expires_at ELSE d.expires_at END
            """);
        await Bind(peek, queue, firsts, window).ExecuteNonQueryAsync(cancellationToken);
    }

    private static DbCommand Bind(DbCommand command, string queue, IReadOnlyList<ReceivedCopy> copies, TimeSpan window) => command
        .Param("@queue", queue).Param("@ids", Texts(copies.Select(c => c.MessageId))).Param("@copies", Texts(copies.Select(c => c.CopyId)))
        .Param("@expires", copies.Select(c => (c.Enqueued + window).Ms()).ToArray()).Param("@window", (long)window.TotalMilliseconds);

    /// <summary>Text values as a PostgreSQL <c>text[]</c> (nulls kept).</summary>
    private static object Texts(IEnumerable<string?> values) => values.ToArray();

    /// <summary>
    /// The relay's delete or unclaim of rows, committed without waiting for its flush to disk: lost in a
    /// crash, a deleted row is published again (at least once, as after a crash before the delete) and
    /// an unclaimed one keeps its claim until it runs out.
    /// </summary>
    private async Task ExecuteAsync(string sql, IReadOnlyList<long> ids, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenNpgsqlAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var command = connection.Command(sql).Param("@ids", ids.ToArray());
        await using var batch = UnflushedCommit.Of(connection, transaction, PositionalStatements.ForBatch(command));
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }
}
