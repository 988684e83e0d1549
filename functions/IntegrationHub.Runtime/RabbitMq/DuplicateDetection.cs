using IntegrationHub.Runtime.Store;
using Microsoft.Data.Sqlite;

namespace IntegrationHub.Runtime.RabbitMq;

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
