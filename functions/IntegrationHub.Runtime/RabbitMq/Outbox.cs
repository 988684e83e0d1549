using IntegrationHub.Core.Messaging;
using IntegrationHub.Runtime.Queues;
using IntegrationHub.Runtime.Store;
using Microsoft.Data.Sqlite;

namespace IntegrationHub.Runtime.RabbitMq;

/// <summary>A message waiting in <c>hub_outbox</c> to be published.</summary>
internal sealed record OutboxMessage(long Id, string Queue, OutgoingMessage Message, string CopyId, int Deliveries, DateTimeOffset DueAt);

/// <summary>
/// The outbox's SQL: messages written with a state change, scheduled for later, or abandoned with a
/// delay wait here until the relay has published them (with confirms) and deleted them.
/// </summary>
internal static class Outbox
{
    /// <summary>How long a relay owns the rows it claimed before another may publish them.</summary>
    public static readonly TimeSpan ClaimDuration = TimeSpan.FromSeconds(10);

    public static void Insert(SqliteConnection connection, string queue, OutgoingMessage message, string copyId, int deliveries, DateTimeOffset dueAt)
    {
        var insert = connection.Prepared("""
            INSERT INTO hub_outbox (queue, message_id, body, correlation_id, subject, content_type, properties, copy_id, base_delivery_count, due_at)
            VALUES ($queue, $id, $body, $correlation, $subject, $type, $properties, $copy, $deliveries, $due);
            """).With("$queue", queue).With("$id", message.MessageId).With("$body", message.Body.ToArray())
            .With("$correlation", message.CorrelationId).With("$subject", message.Subject).With("$type", message.ContentType)
            .With("$properties", QueueRules.WriteProperties(message.ApplicationProperties)).With("$copy", copyId)
            .With("$deliveries", deliveries).With("$due", dueAt.ToUnixMs());
        insert.ExecuteNonQuery();
    }

    /// <summary>Claims up to <paramref name="max"/> due messages, oldest first.</summary>
    public static List<OutboxMessage> ClaimDue(SqliteConnection connection, DateTimeOffset now, int max)
    {
        var claim = connection.Prepared("""
            UPDATE hub_outbox SET claimed_until = $until
            WHERE id IN (SELECT id FROM hub_outbox WHERE due_at <= $now AND claimed_until <= $now ORDER BY due_at, id LIMIT $max)
            RETURNING id, queue, message_id, body, correlation_id, subject, content_type, properties, copy_id, base_delivery_count, due_at;
            """).With("$until", (now + ClaimDuration).ToUnixMs()).With("$now", now.ToUnixMs()).With("$max", max);
        using var reader = claim.ExecuteReader();
        var claimed = new List<OutboxMessage>();
        while (reader.Read())
        {
            var message = new OutgoingMessage
            {
                MessageId = reader.GetString(2),
                Body = (byte[])reader[3],
                CorrelationId = reader.NullableString(4),
                Subject = reader.NullableString(5),
                ContentType = reader.GetString(6),
                ApplicationProperties = QueueRules.ReadProperties(reader.NullableString(7)),
            };
            claimed.Add(new OutboxMessage(reader.GetInt64(0), reader.GetString(1), message, reader.GetString(8), reader.GetInt32(9), SqliteExtensions.FromUnixMs(reader.GetInt64(10))));
        }

        claimed.Sort((a, b) => a.DueAt != b.DueAt ? a.DueAt.CompareTo(b.DueAt) : a.Id.CompareTo(b.Id));
        return claimed;
    }

    /// <summary>When the next message is due (claimed ones count from their claim's end).</summary>
    public static DateTimeOffset? NextDue(SqliteConnection connection)
    {
        var select = connection.Prepared("SELECT MIN(MAX(due_at, claimed_until)) FROM hub_outbox;");
        return select.ExecuteScalar() is long at ? SqliteExtensions.FromUnixMs(at) : null;
    }

    public static void Delete(SqliteConnection connection, IEnumerable<long> ids)
    {
        var delete = connection.Prepared("DELETE FROM hub_outbox WHERE id = $id;").With("$id", 0L);
        foreach (var id in ids)
        {
            delete.Set("$id", id).ExecuteNonQuery();
        }
    }

    /// <summary>Gives claimed rows back, to be claimed again at once.</summary>
    public static void Unclaim(SqliteConnection connection, IEnumerable<long> ids)
    {
        var update = connection.Prepared("UPDATE hub_outbox SET claimed_until = 0 WHERE id = $id;").With("$id", 0L);
        foreach (var id in ids)
        {
            update.Set("$id", id).ExecuteNonQuery();
        }
    }

    public static long CountScheduled(SqliteConnection connection, string queue, DateTimeOffset now)
    {
        using var count = connection.Command("SELECT COUNT(*) FROM hub_outbox WHERE queue = $queue AND due_at > $now;")
            .With("$queue", queue).With("$now", now.ToUnixMs());
        return (long)count.ExecuteScalar()!;
    }
}

/// <summary>
/// Duplicate detection for the broker, which has none: the first copy of a message id seen on a queue
/// claims the id for the window, measured from its enqueue time as Service Bus measures it; a later
/// copy (another send) enqueued within the window is a duplicate; the same copy delivered again is not.
/// The claim also counts the copy's peeks, which the broker counted as deliveries.
/// </summary>
internal static class DuplicateDetection
{
    /// <summary>For each copy, whether it is a duplicate, and how often it was peeked.</summary>
    public static (bool Duplicate, int Peeks)[] Check(SqliteConnection connection, string queue, IReadOnlyList<(string MessageId, string CopyId, DateTimeOffset Enqueued)> copies, TimeSpan window)
    {
        // Two statements for the whole batch: claim every id the window allows, then read who owns each.
        var batch = Batch(copies, window);
        connection.Prepared("""
            INSERT INTO hub_duplicate_detection (queue, message_id, copy_id, expires_at)
            SELECT $queue, json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]') FROM json_each($batch) WHERE true
            ON CONFLICT (queue, message_id) DO UPDATE SET copy_id = excluded.copy_id, expires_at = excluded.expires_at, peeks = 0
            WHERE hub_duplicate_detection.expires_at <= excluded.expires_at - $window;
            """).With("$queue", queue).With("$batch", batch).With("$window", (long)window.TotalMilliseconds).ExecuteNonQuery();
        var owners = new Dictionary<string, (string CopyId, int Peeks)>(copies.Count, StringComparer.Ordinal);
        var select = connection.Prepared("""
            SELECT message_id, copy_id, peeks FROM hub_duplicate_detection
            WHERE queue = $queue AND message_id IN (SELECT json_extract(value, '$[0]') FROM json_each($batch));
            """).With("$queue", queue).With("$batch", batch);
        using (var reader = select.ExecuteReader())
        {
            while (reader.Read())
            {
                owners[reader.GetString(0)] = (reader.GetString(1), reader.GetInt32(2));
            }
        }

        return copies.Select(c => owners.TryGetValue(c.MessageId, out var owner) && owner.CopyId == c.CopyId ? (false, owner.Peeks) : (true, 0)).ToArray();
    }

    private static string Batch(IReadOnlyList<(string MessageId, string CopyId, DateTimeOffset Enqueued)> copies, TimeSpan window)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(copies.Count * 96);
        using (var json = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var (messageId, copyId, enqueued) in copies)
            {
                json.WriteStartArray();
                json.WriteStringValue(messageId);
                json.WriteStringValue(copyId);
                json.WriteNumberValue((enqueued + window).ToUnixMs());
                json.WriteEndArray();
            }

            json.WriteEndArray();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Counts a peek of each copy (a read the broker took for a delivery).</summary>
    public static void RecordPeeks(SqliteConnection connection, string queue, IReadOnlyList<(string MessageId, string CopyId, DateTimeOffset Enqueued)> copies, TimeSpan window)
    {
        var claim = Claim(connection, queue);
        var peek = connection.Prepared("UPDATE hub_duplicate_detection SET peeks = peeks + 1 WHERE queue = $queue AND message_id = $id AND copy_id = $copy;")
            .With("$queue", queue).With("$id", "").With("$copy", "");
        foreach (var (messageId, copyId, enqueued) in copies)
        {
            Set(claim, messageId, copyId, enqueued, window).ExecuteNonQuery();
            peek.Set("$id", messageId).Set("$copy", copyId).ExecuteNonQuery();
        }
    }

    private static SqliteCommand Claim(SqliteConnection connection, string queue) => connection.Prepared("""
        INSERT INTO hub_duplicate_detection (queue, message_id, copy_id, expires_at) VALUES ($queue, $id, $copy, $expires)
        ON CONFLICT (queue, message_id) DO UPDATE SET copy_id = excluded.copy_id, expires_at = excluded.expires_at, peeks = 0
        WHERE hub_duplicate_detection.expires_at <= $enqueued;
        """).With("$queue", queue).With("$id", "").With("$copy", "").With("$expires", 0L).With("$enqueued", 0L);

    private static SqliteCommand Set(SqliteCommand claim, string messageId, string copyId, DateTimeOffset enqueued, TimeSpan window) =>
        claim.Set("$id", messageId).Set("$copy", copyId).Set("$expires", (enqueued + window).ToUnixMs()).Set("$enqueued", enqueued.ToUnixMs());
}
