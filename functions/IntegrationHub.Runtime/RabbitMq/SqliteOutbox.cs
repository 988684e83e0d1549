using IntegrationHub.Core.Messaging;
using IntegrationHub.Runtime.Queues;
using IntegrationHub.Runtime.Store;
using Microsoft.Data.Sqlite;

namespace IntegrationHub.Runtime.RabbitMq;

/// <summary>The outbox's SQL on SQLite, on the hub writer's connection with its prepared statements.</summary>
internal static class SqliteOutbox
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
