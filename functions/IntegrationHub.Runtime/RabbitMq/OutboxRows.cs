using System.Data.Common;
using IntegrationHub.Runtime.Queues;
using IntegrationHub.Runtime.Store;

namespace IntegrationHub.Runtime.RabbitMq;

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
