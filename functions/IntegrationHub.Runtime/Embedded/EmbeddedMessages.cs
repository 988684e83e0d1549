using System.Data.Common;
using System.Globalization;
using IntegrationHub.Core.Messaging;
using IntegrationHub.Runtime.Queues;
using IntegrationHub.Runtime.Store;
using Microsoft.Data.Sqlite;

namespace IntegrationHub.Runtime.Embedded;

/// <summary>
/// The embedded transport's SQL on <c>hub_queue_messages</c>. The writes run on the hub writer's
/// connection with its prepared statements; peeks and statistics on a reader's.
/// </summary>
internal static class EmbeddedMessages
{
    private const string Columns = """
        sequence_number, message_id, body, correlation_id, subject, content_type, properties, enqueued_at,
        delivery_count, lock_token, locked_until, dead_letter_reason, dead_letter_description, dead_letter_source, dead_lettered_at
        """;

    private const string OwnedLock = "sequence_number = $seq AND queue = $queue AND lock_token = $nonce AND locked_until > $now";

    /// <summary>Inserts the messages that are not duplicates within the window; returns how many were inserted.</summary>
    public static int Insert(SqliteConnection connection, string queue, IEnumerable<OutgoingMessage> messages, DateTimeOffset now, TimeSpan window)
    {
        var dedupe = connection.Prepared("""
            INSERT INTO hub_duplicate_detection (queue, message_id, expires_at) VALUES ($queue, $id, $expires)
            ON CONFLICT (queue, message_id) DO UPDATE SET expires_at = excluded.expires_at
            WHERE hub_duplicate_detection.expires_at <= $now;
            """).Param("$queue", queue).Param("$id", (object?)null).Param("$expires", (now + window).Ms()).Param("$now", now.Ms());
        var insert = connection.Prepared("""
            INSERT INTO hub_queue_messages (queue, message_id, body, correlation_id, subject, content_type, properties, enqueued_at, visible_at)
            VALUES ($queue, $id, $body, $correlation, $subject, $type, $properties, $visible, $visible);
            """).Param("$queue", queue).Param("$id", (object?)null).Param("$body", (object?)null).Param("$correlation", (object?)null)
            .Param("$subject", (object?)null).Param("$type", (object?)null).Param("$properties", (object?)null).Param("$visible", (object?)null);
        var inserted = 0;
        foreach (var message in messages)
        {
            if (dedupe.Param("$id", message.MessageId).ExecuteNonQuery() == 0)
            {
                continue;
            }

            var visible = message.ScheduledEnqueueTimeUtc is { } at && at > now ? at : now;
            insert.Param("$id", message.MessageId).Param("$body", message.Body.ToArray()).Param("$correlation", message.CorrelationId)
                .Param("$subject", message.Subject).Param("$type", message.ContentType)
                .Param("$properties", QueueRules.WriteProperties(message.ApplicationProperties)).Param("$visible", visible.Ms());
            inserted += insert.ExecuteNonQuery();
        }

        return inserted;
    }

    /// <summary>Inserts a message straight into <paramref name="queue"/>'s dead-letter queue.</summary>
    public static void InsertDeadLetter(SqliteConnection connection, string queue, OutgoingMessage message, string reason, string? description, DateTimeOffset now)
    {
        using var insert = connection.Command("""
            INSERT INTO hub_queue_messages (queue, message_id, body, correlation_id, subject, content_type, properties, enqueued_at, visible_at,
                                            dead_letter_reason, dead_letter_description, dead_letter_source, dead_lettered_at)
            VALUES ($dlq, $id, $body, $correlation, $subject, $type, $properties, $now, $now, $reason, $description, $queue, $now);
            """).Param("$dlq", QueueNames.DeadLetterOf(queue)).Param("$id", message.MessageId).Param("$body", message.Body.ToArray())
            .Param("$correlation", message.CorrelationId).Param("$subject", message.Subject).Param("$type", message.ContentType)
            .Param("$properties", QueueRules.WriteProperties(message.ApplicationProperties)).Param("$now", now.Ms())
            .Param("$reason", reason).Param("$description", description).Param("$queue", queue);
        insert.ExecuteNonQuery();
    }

    /// <summary>
    /// Locks up to <paramref name="max"/> visible messages in queue order. Those already delivered
    /// <paramref name="maxDeliveryCount"/> times go to the dead-letter queue instead.
    /// </summary>
    public static List<ReceivedMessage> Lock(SqliteConnection connection, string queue, int max, DateTimeOffset now, TimeSpan lockDuration, int maxDeliveryCount)
    {
        const string Head = "SELECT sequence_number FROM hub_queue_messages WHERE queue = $queue AND visible_at <= $now ORDER BY visible_at, sequence_number LIMIT $max";
        if (!QueueNames.IsDeadLetter(queue))
        {
            var exhausted = connection.Prepared($"""
                UPDATE hub_queue_messages
                SET queue = $dlq, dead_letter_source = queue, dead_letter_reason = $reason,
                    dead_letter_description = 'Delivered ' || delivery_count || ' times; the queue allows ' || $maxCount || '.',
                    lock_token = NULL, locked_until = NULL, visible_at = $now, dead_lettered_at = $now
                WHERE sequence_number IN ({Head}) AND delivery_count >= $maxCount;
                """).Param("$queue", queue).Param("$now", now.Ms()).Param("$max", max).Param("$dlq", QueueNames.DeadLetterOf(queue))
                .Param("$reason", DeadLetterReasons.MaxDeliveryCountExceeded).Param("$maxCount", maxDeliveryCount);
            exhausted.ExecuteNonQuery();
        }

        var nonce = Guid.NewGuid().ToString("N");
        var until = now + lockDuration;
        var claim = connection.Prepared($"""
            UPDATE hub_queue_messages
            SET delivery_count = delivery_count + 1, lock_token = $nonce, locked_until = $until, visible_at = $until
            WHERE sequence_number IN ({Head})
            RETURNING {Columns};
            """).Param("$queue", queue).Param("$now", now.Ms()).Param("$max", max).Param("$nonce", nonce).Param("$until", until.Ms());
        var messages = Read(claim, queue, withLock: true);
        messages.Sort((a, b) => a.SequenceNumber.CompareTo(b.SequenceNumber));
        return messages;
    }

    public static List<ReceivedMessage> Peek(SqliteConnection connection, string queue, long from, int max)
    {
        using var select = connection.Command($"""
            SELECT {Columns} FROM hub_queue_messages
            WHERE queue = $queue AND sequence_number >= $from ORDER BY sequence_number LIMIT $max;
            """).Param("$queue", queue).Param("$from", from).Param("$max", max);
        return Read(select, queue, withLock: false);
    }

    /// <summary>When the queue's next message becomes visible, if it has any.</summary>
    public static DateTimeOffset? NextVisible(SqliteConnection connection, string queue)
    {
        var select = connection.Prepared("SELECT MIN(visible_at) FROM hub_queue_messages WHERE queue = $queue;").Param("$queue", queue);
        return select.ExecuteScalar() is long at ? Sql.Utc(at) : null;
    }

    /// <summary>Deletes the message if the token still holds its lock; false when the lock was lost.</summary>
    public static bool TryComplete(SqliteConnection connection, LockToken token, DateTimeOffset now) =>
        Bind(connection.Prepared($"DELETE FROM hub_queue_messages WHERE {OwnedLock};"), token, now).ExecuteNonQuery() == 1;

    public static DateTimeOffset Renew(SqliteConnection connection, LockToken token, DateTimeOffset now, TimeSpan lockDuration)
    {
        var until = now + lockDuration;
        var update = connection.Prepared($"UPDATE hub_queue_messages SET locked_until = $until, visible_at = $until WHERE {OwnedLock};")
            .Param("$until", until.Ms());
        Owned(update, token, now);
        return until;
    }

    /// <summary>Releases the lock; a message out of deliveries goes to the dead-letter queue instead.</summary>
    public static void Abandon(SqliteConnection connection, LockToken token, TimeSpan? delay, DateTimeOffset now, int maxDeliveryCount)
    {
        if (!QueueNames.IsDeadLetter(token.Queue))
        {
            var exhausted = connection.Prepared($"""
                UPDATE hub_queue_messages
                SET queue = $dlq, dead_letter_source = queue, dead_letter_reason = $reason,
                    dead_letter_description = 'Delivered ' || delivery_count || ' times; the queue allows ' || $maxCount || '.',
                    lock_token = NULL, locked_until = NULL, visible_at = $now, dead_lettered_at = $now
                WHERE {OwnedLock} AND delivery_count >= $maxCount;
                """).Param("$dlq", QueueNames.DeadLetterOf(token.Queue)).Param("$reason", DeadLetterReasons.MaxDeliveryCountExceeded).Param("$maxCount", maxDeliveryCount);
            if (Bind(exhausted, token, now).ExecuteNonQuery() == 1)
            {
                return;
            }
        }

        // Without a delay the message keeps its place in the queue (its enqueue time orders it).
        var release = connection.Prepared($"""
            UPDATE hub_queue_messages
            SET lock_token = NULL, locked_until = NULL, visible_at = CASE WHEN $delayed = 1 THEN $visible ELSE enqueued_at END
            WHERE {OwnedLock};
            """).Param("$delayed", delay is { } d && d > TimeSpan.Zero ? 1 : 0).Param("$visible", (now + (delay ?? TimeSpan.Zero)).Ms());
        Owned(release, token, now);
    }

    public static void DeadLetter(SqliteConnection connection, LockToken token, string reason, string? description, DateTimeOffset now)
    {
        if (QueueNames.IsDeadLetter(token.Queue))
        {
            throw new InvalidOperationException($"The message is already in the dead-letter queue '{token.Queue}'.");
        }

        var move = connection.Prepared($"""
            UPDATE hub_queue_messages
            SET queue = $dlq, dead_letter_source = queue, dead_letter_reason = $reason, dead_letter_description = $description,
                lock_token = NULL, locked_until = NULL, visible_at = $now, dead_lettered_at = $now
            WHERE {OwnedLock};
            """).Param("$dlq", QueueNames.DeadLetterOf(token.Queue)).Param("$reason", reason).Param("$description", description);
        Owned(move, token, now);
    }

    /// <summary>Moves a locked dead letter back to its source queue as a new delivery, keeping body, properties and id.</summary>
    public static void Replay(SqliteConnection connection, LockToken token, DateTimeOffset now)
    {
        if (!QueueNames.IsDeadLetter(token.Queue))
        {
            throw new InvalidOperationException($"Only a message received from a dead-letter queue can be replayed ('{token.Queue}' is not one).");
        }

        var move = connection.Prepared($"""
            UPDATE hub_queue_messages
            SET queue = $source, delivery_count = 0, enqueued_at = $now, visible_at = $now, lock_token = NULL, locked_until = NULL,
                dead_letter_reason = NULL, dead_letter_description = NULL, dead_letter_source = NULL, dead_lettered_at = NULL
            WHERE {OwnedLock};
            """).Param("$source", QueueNames.SourceOf(token.Queue));
        Owned(move, token, now);
    }

    /// <summary>
    /// Moves one dead letter that no one holds back to its source queue, as <see cref="Replay"/> does,
    /// with <paramref name="body"/> in place of its own when given; false when it is not there unlocked.
    /// </summary>
    public static bool ReplayUnlocked(SqliteConnection connection, string deadLetterQueue, long sequenceNumber, string messageId, byte[]? body, DateTimeOffset now)
    {
        using var move = connection.Command("""
            UPDATE hub_queue_messages
            SET queue = $source, body = COALESCE($body, body), delivery_count = 0, enqueued_at = $now, visible_at = $now,
                lock_token = NULL, locked_until = NULL,
                dead_letter_reason = NULL, dead_letter_description = NULL, dead_letter_source = NULL, dead_lettered_at = NULL
            WHERE sequence_number = $seq AND queue = $dlq AND message_id = $id AND (locked_until IS NULL OR locked_until <= $now);
            """).Param("$source", QueueNames.SourceOf(deadLetterQueue)).Param("$body", body).Param("$now", now.Ms())
            .Param("$seq", sequenceNumber).Param("$dlq", deadLetterQueue).Param("$id", messageId);
        return move.ExecuteNonQuery() == 1;
    }

    public static QueueStatistics Statistics(SqliteConnection connection, string queue, DateTimeOffset now)
    {
        using var select = connection.Command("""
            SELECT
                COALESCE(SUM(CASE WHEN queue = $queue AND visible_at <= $now THEN 1 ELSE 0 END), 0) AS active,
                COALESCE(SUM(CASE WHEN queue = $queue AND visible_at > $now AND locked_until > $now THEN 1 ELSE 0 END), 0) AS locked,
                COALESCE(SUM(CASE WHEN queue = $queue AND visible_at > $now AND (locked_until IS NULL OR locked_until <= $now) THEN 1 ELSE 0 END), 0) AS scheduled,
                COALESCE(SUM(CASE WHEN queue = $dlq THEN 1 ELSE 0 END), 0) AS dead_letters
            FROM hub_queue_messages WHERE queue IN ($queue, $dlq);
            """).Param("$queue", queue).Param("$dlq", QueueNames.DeadLetterOf(queue)).Param("$now", now.Ms());
        return select.ReadList(reader => new QueueStatistics
        {
            Queue = queue,
            ActiveMessageCount = reader.Int64("active"),
            LockedMessageCount = reader.Int64("locked"),
            ScheduledMessageCount = reader.Int64("scheduled"),
            DeadLetterMessageCount = reader.Int64("dead_letters"),
        })[0];
    }

    private static DbCommand Bind(DbCommand command, LockToken token, DateTimeOffset now) =>
        command.Param("$seq", token.SequenceNumber).Param("$queue", token.Queue).Param("$nonce", token.Nonce).Param("$now", now.Ms());

    private static void Owned(DbCommand command, LockToken token, DateTimeOffset now)
    {
        if (Bind(command, token, now).ExecuteNonQuery() == 0)
        {
            throw new MessageLockLostException(token.Queue, token.Value);
        }
    }

    private static List<ReceivedMessage> Read(DbCommand command, string queue, bool withLock) => command.ReadList(reader =>
    {
        var stored = MessageRows.Read(reader);
        var sequence = reader.Int64("sequence_number");
        return new ReceivedMessage
        {
            Queue = queue,
            SequenceNumber = sequence,
            MessageId = stored.MessageId,
            Body = stored.Body,
            CorrelationId = stored.CorrelationId,
            Subject = stored.Subject,
            ContentType = stored.ContentType,
            ApplicationProperties = stored.ApplicationProperties,
            EnqueuedTimeUtc = reader.UtcTime("enqueued_at"),
            DeliveryCount = reader.Int32("delivery_count"),
            LockToken = withLock ? LockToken.Format(reader.Text("lock_token"), sequence) : "",
            LockedUntilUtc = withLock ? reader.UtcTime("locked_until") : default,
            DeadLetterReason = reader.TextOrNull("dead_letter_reason"),
            DeadLetterErrorDescription = reader.TextOrNull("dead_letter_description"),
            DeadLetterSource = reader.TextOrNull("dead_letter_source"),
            DeadLetteredTimeUtc = reader.UtcTimeOrNull("dead_lettered_at"),
        };
    });
}

/// <summary>An embedded lock token, <c>{nonce}-{sequence number}</c>: enough to settle by queue and token alone.</summary>
internal readonly record struct LockToken(string Queue, string Value, string Nonce, long SequenceNumber)
{
    public static string Format(string nonce, long sequenceNumber) => $"{nonce}-{sequenceNumber.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Reads a token; one that is not of this form is unknown, hence lost.</summary>
    public static LockToken Parse(string queue, string value)
    {
        var dash = value.LastIndexOf('-');
        if (dash <= 0 || !long.TryParse(value.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var sequence))
        {
            throw new MessageLockLostException(queue, value);
        }

        return new LockToken(queue, value, value[..dash], sequence);
    }
}
