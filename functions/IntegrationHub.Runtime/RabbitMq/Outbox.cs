using System.Data.Common;
using IntegrationHub.Core.Messaging;
using IntegrationHub.Runtime.Queues;
using IntegrationHub.Runtime.Store;
using Microsoft.Data.Sqlite;

namespace IntegrationHub.Runtime.RabbitMq;

/// <summary>A message waiting in <c>hub_outbox</c> to be published.</summary>
internal sealed record OutboxMessage(long Id, string Queue, OutgoingMessage Message, string CopyId, int Deliveries, DateTimeOffset DueAt);

/// <summary>A message to write to <c>hub_outbox</c>: published to <paramref name="Queue"/> once due.</summary>
internal readonly record struct OutboxEntry(string Queue, OutgoingMessage Message, string CopyId, int Deliveries, DateTimeOffset DueAt);

/// <summary>
/// A copy of a message as delivered: its id, which copy it is, when it was enqueued, and whether the
/// broker delivered it before (a delivery returned, or lost with its channel).
/// </summary>
internal readonly record struct ReceivedCopy(string MessageId, string CopyId, DateTimeOffset Enqueued, bool Redelivered);

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

/// <summary>The outbox's SQL on SQLite, on the hub writer's connection with its prepared statements.</summary>
internal static class Outbox
{
    /// <summary>How long a relay owns the rows it claimed before another may publish them.</summary>
    public static readonly TimeSpan ClaimDuration = TimeSpan.FromSeconds(10);

    public static void Insert(SqliteConnection connection, string queue, OutgoingMessage message, string copyId, int deliveries, DateTimeOffset dueAt)
    {
        var insert = connection.Prepared("""
            INSERT INTO hub_outbox (queue, message_id, body, correlation_id, subject, content_type, properties, copy_id, base_delivery_count, due_at)
            VALUES ($queue, $id, $body, $correlation, $subject, $type, $properties, $copy, $deliveries, $due);
            """).Param("$queue", queue).Param("$id", message.MessageId).Param("$body", message.Body.ToArray())
            .Param("$correlation", message.CorrelationId).Param("$subject", message.Subject).Param("$type", message.ContentType)
            .Param("$properties", QueueRules.WriteProperties(message.ApplicationProperties)).Param("$copy", copyId)
            .Param("$deliveries", deliveries).Param("$due", dueAt.Ms());
        insert.ExecuteNonQuery();
    }

    public static List<OutboxMessage> ClaimDue(SqliteConnection connection, DateTimeOffset now, int max)
    {
        var claim = connection.Prepared($"""
            UPDATE hub_outbox SET claimed_until = $until
            WHERE id IN (SELECT id FROM hub_outbox WHERE due_at <= $now AND claimed_until <= $now ORDER BY due_at, id LIMIT $max)
            RETURNING {OutboxRows.Columns};
            """).Param("$until", (now + ClaimDuration).Ms()).Param("$now", now.Ms()).Param("$max", max);
        using var reader = claim.ExecuteReader();
        return OutboxRows.Read(reader);
    }

    public static DateTimeOffset? NextDue(SqliteConnection connection)
    {
        var select = connection.Prepared("SELECT MIN(MAX(due_at, claimed_until)) FROM hub_outbox;");
        return select.ExecuteScalar() is long at ? Sql.Utc(at) : null;
    }

    public static void Delete(SqliteConnection connection, IEnumerable<long> ids)
    {
        var delete = connection.Prepared("DELETE FROM hub_outbox WHERE id = $id;").Param("$id", 0L);
        foreach (var id in ids)
        {
            delete.Param("$id", id).ExecuteNonQuery();
        }
    }

    public static void Unclaim(SqliteConnection connection, IEnumerable<long> ids)
    {
        var update = connection.Prepared("UPDATE hub_outbox SET claimed_until = 0 WHERE id = $id;").Param("$id", 0L);
        foreach (var id in ids)
        {
            update.Param("$id", id).ExecuteNonQuery();
        }
    }
}

/// <summary>
/// Duplicate detection for the broker, which has none. The first copy of a message id delivered on a
/// queue claims the id for the window, measured from its enqueue time as Service Bus measures it; a
/// later copy (another send) enqueued within the window is a duplicate. The broker delivering the same
/// copy again (<see cref="ReceivedCopy.Redelivered"/>) is not, but the same copy delivered a first time
/// once more is: that is the outbox relay publishing a row twice (it died between the broker's
/// confirm and its delete, or its claim ran out). Where the hub itself publishes a message again (a
/// delay, a replay, a pull not settled in time) it hands the claim to a new copy first
/// (<see cref="OutboxRows.HandOverClaimAsync"/>). The claim also counts the copy's peeks, which the
/// broker counted as deliveries.
/// </summary>
internal static class DuplicateDetection
{
    /// <summary>
    /// Decides each copy from the claims this check took (<paramref name="claimedNow"/>: a new claim, an
    /// expired one taken over, or one handed to this copy) and, for redelivered copies, the claims' owners.
    /// </summary>
    public static (bool Duplicate, int Peeks)[] Decide(
        IReadOnlyList<ReceivedCopy> copies,
        IReadOnlyDictionary<string, int> claimedNow,
        IReadOnlyDictionary<string, (string CopyId, int Peeks)> owners)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var decisions = new (bool, int)[copies.Count];
        for (var i = 0; i < copies.Count; i++)
        {
            var copy = copies[i];
            decisions[i] = !seen.Add(copy.MessageId) ? (true, 0)
                : claimedNow.TryGetValue(copy.MessageId, out var peeks) ? (false, peeks)
                : copy.Redelivered && owners.TryGetValue(copy.MessageId, out var owner) && owner.CopyId == copy.CopyId ? (false, owner.Peeks)
                : (true, 0);
        }

        return decisions;
    }

    /// <summary>The first copy of each message id in the batch (a later one in the same batch is a duplicate).</summary>
    public static List<ReceivedCopy> FirstOfEachId(IReadOnlyList<ReceivedCopy> copies) => copies.DistinctBy(c => c.MessageId, StringComparer.Ordinal).ToList();

    /// <summary>The copies whose decision needs the claim's owner: redelivered ones that claimed nothing now.</summary>
    public static List<ReceivedCopy> NeedingOwners(List<ReceivedCopy> firsts, IReadOnlyDictionary<string, int> claimedNow) =>
        firsts.Where(c => c.Redelivered && !claimedNow.ContainsKey(c.MessageId)).ToList();

    /// <summary>The check on SQLite: two statements for the whole batch, the second only for redelivered copies.</summary>
    public static (bool Duplicate, int Peeks)[] Check(SqliteConnection connection, string queue, IReadOnlyList<ReceivedCopy> copies, TimeSpan window)
    {
        var firsts = FirstOfEachId(copies);
        var claimedNow = new Dictionary<string, int>(firsts.Count, StringComparer.Ordinal);
        var claim = connection.Prepared("""
            INSERT INTO hub_duplicate_detection (queue, message_id, copy_id, expires_at, delivered)
            SELECT $queue, json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]'), 1 FROM json_each($batch) WHERE true
            ON CONFLICT (queue, message_id) DO UPDATE SET
                copy_id = excluded.copy_id,
                expires_at = CASE WHEN hub_duplicate_detection.expires_at <= excluded.expires_at - $window THEN excluded.expires_at ELSE hub_duplicate_detection.expires_at END,
                peeks = CASE WHEN hub_duplicate_detection.expires_at <= excluded.expires_at - $window THEN 0 ELSE hub_duplicate_detection.peeks END,
                delivered = 1
            WHERE hub_duplicate_detection.expires_at <= excluded.expires_at - $window
               OR (hub_duplicate_detection.copy_id = excluded.copy_id AND hub_duplicate_detection.delivered = 0)
            RETURNING message_id, peeks;
            """).Param("$queue", queue).Param("$batch", Batch(firsts, window)).Param("$window", (long)window.TotalMilliseconds);
        using (var reader = claim.ExecuteReader())
        {
            while (reader.Read())
            {
                claimedNow[reader.Text("message_id")] = reader.Int32("peeks");
            }
        }

        var owners = new Dictionary<string, (string CopyId, int Peeks)>(StringComparer.Ordinal);
        var needing = NeedingOwners(firsts, claimedNow);
        if (needing.Count > 0)
        {
            var select = connection.Prepared("""
                SELECT message_id, copy_id, peeks FROM hub_duplicate_detection
                WHERE queue = $queue AND message_id IN (SELECT json_extract(value, '$[0]') FROM json_each($batch));
                """).Param("$queue", queue).Param("$batch", Batch(needing, window));
            using var reader = select.ExecuteReader();
            while (reader.Read())
            {
                owners[reader.Text("message_id")] = (reader.Text("copy_id"), reader.Int32("peeks"));
            }
        }

        return Decide(copies, claimedNow, owners);
    }

    private static string Batch(IReadOnlyList<ReceivedCopy> copies, TimeSpan window)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(copies.Count * 96);
        using (var json = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var copy in copies)
            {
                json.WriteStartArray();
                json.WriteStringValue(copy.MessageId);
                json.WriteStringValue(copy.CopyId);
                json.WriteNumberValue((copy.Enqueued + window).Ms());
                json.WriteEndArray();
            }

            json.WriteEndArray();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static void RecordPeeks(SqliteConnection connection, string queue, IReadOnlyList<ReceivedCopy> copies, TimeSpan window)
    {
        var claim = connection.Prepared("""
            INSERT INTO hub_duplicate_detection (queue, message_id, copy_id, expires_at) VALUES ($queue, $id, $copy, $expires)
            ON CONFLICT (queue, message_id) DO UPDATE SET copy_id = excluded.copy_id, expires_at = excluded.expires_at, peeks = 0, delivered = 0
            WHERE hub_duplicate_detection.expires_at <= $enqueued;
            """).Param("$queue", queue).Param("$id", "").Param("$copy", "").Param("$expires", 0L).Param("$enqueued", 0L);
        var peek = connection.Prepared("UPDATE hub_duplicate_detection SET peeks = peeks + 1 WHERE queue = $queue AND message_id = $id AND copy_id = $copy;")
            .Param("$queue", queue).Param("$id", "").Param("$copy", "");
        foreach (var copy in copies)
        {
            claim.Param("$id", copy.MessageId).Param("$copy", copy.CopyId).Param("$expires", (copy.Enqueued + window).Ms()).Param("$enqueued", copy.Enqueued.Ms()).ExecuteNonQuery();
            peek.Param("$id", copy.MessageId).Param("$copy", copy.CopyId).ExecuteNonQuery();
        }
    }
}

/// <summary>
/// The outbox and claim writes off the hot paths (scheduled sends, delays, replays, pulls given back),
/// in SQL both databases speak, inside a write of the hub store.
/// </summary>
internal static class OutboxRows
{
    public const string Columns = "id, queue, message_id, body, correlation_id, subject, content_type, properties, copy_id, base_delivery_count, due_at";

    public static async Task InsertAsync(DbConnection connection, OutboxEntry entry, CancellationToken cancellationToken)
    {
        var message = entry.Message;
        await using var insert = connection.Command("""
            INSERT INTO hub_outbox (queue, message_id, body, correlation_id, subject, content_type, properties, copy_id, base_delivery_count, due_at)
            VALUES (@queue, @id, @body, @correlation, @subject, @type, @properties, @copy, @deliveries, @due)
            """).Param("@queue", entry.Queue).Param("@id", message.MessageId).Param("@body", message.Body.ToArray())
            .Param("@correlation", message.CorrelationId).Param("@subject", message.Subject).Param("@type", message.ContentType)
            .Param("@properties", QueueRules.WriteProperties(message.ApplicationProperties)).Param("@copy", entry.CopyId)
            .Param("@deliveries", entry.Deliveries).Param("@due", entry.DueAt.Ms());
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Hands the message id's duplicate-detection claim on <paramref name="queue"/> to a copy the hub is
    /// about to publish again, so that its first delivery is taken and any older copy is dropped.
    /// </summary>
    public static async Task HandOverClaimAsync(DbConnection connection, string queue, string messageId, string copyId, DateTimeOffset expires, CancellationToken cancellationToken)
    {
        await using var upsert = connection.Command("""
            INSERT INTO hub_duplicate_detection (queue, message_id, copy_id, expires_at, delivered) VALUES (@queue, @id, @copy, @expires, 0)
            ON CONFLICT (queue, message_id) DO UPDATE SET copy_id = excluded.copy_id, delivered = 0, peeks = 0
            """).Param("@queue", queue).Param("@id", messageId).Param("@copy", copyId).Param("@expires", expires.Ms());
        await upsert.ExecuteNonQueryAsync(cancellationToken);
    }

    public static async Task<long> CountScheduledAsync(DbConnection connection, string queue, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var count = connection.Command("SELECT COUNT(*) FROM hub_outbox WHERE queue = @queue AND due_at > @now").Param("@queue", queue).Param("@now", now.Ms());
        return await count.ReadInt64Async(cancellationToken);
    }

    /// <summary>Reads rows of <see cref="Columns"/>, due first.</summary>
    public static List<OutboxMessage> Read(DbDataReader reader)
    {
        var rows = new List<OutboxMessage>();
        while (reader.Read())
        {
            rows.Add(new OutboxMessage(
                reader.Int64("id"), reader.Text("queue"), MessageRows.Read(reader), reader.Text("copy_id"), reader.Int32("base_delivery_count"), reader.UtcTime("due_at")));
        }

        rows.Sort((a, b) => a.DueAt != b.DueAt ? a.DueAt.CompareTo(b.DueAt) : a.Id.CompareTo(b.Id));
        return rows;
    }
}

/// <summary>The broker's bookkeeping on SQLite, through the hub writer.</summary>
internal sealed class SqliteBrokerStore(HubWriter writer) : IBrokerStore
{
    public Task<List<OutboxMessage>> ClaimDueAsync(DateTimeOffset now, int max, CancellationToken cancellationToken) =>
        writer.RunAsync(connection => Outbox.ClaimDue(connection, now, max), cancellationToken, isolated: false);

    public Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken) => writer.RunAsync(Outbox.NextDue, cancellationToken, isolated: false);

    public Task DeleteAsync(IReadOnlyList<long> ids, CancellationToken cancellationToken) =>
        writer.RunAsync(connection =>
        {
            Outbox.Delete(connection, ids);
            return ids.Count;
        }, cancellationToken, isolated: false);

    public Task UnclaimAsync(IReadOnlyList<long> ids, CancellationToken cancellationToken) =>
        writer.RunAsync(connection =>
        {
            Outbox.Unclaim(connection, ids);
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
