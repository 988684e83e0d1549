namespace IntegrationHub.Runtime.Store;

/// <summary>
/// The messaging tables: declared queues, queue messages and their dead letters (embedded
/// transport), duplicate detection, the inbox of processed ids per consumer, the outbox (RabbitMQ
/// transport: messages written with a state change, and delayed ones waiting to be relayed), and
/// timer leases. Versions 1–99 belong to messaging.
/// </summary>
internal static class MessagingMigrations
{
    public static IEnumerable<HubMigration> All { get; } =
    [
        new(1, "messaging: queues, messages, duplicate detection, inbox, outbox, timer leases", """
            CREATE TABLE hub_queues (
                name       TEXT   NOT NULL PRIMARY KEY,
                created_at BIGINT NOT NULL
            );

            -- One row per message. A dead letter stays here under its queue's '<queue>/$deadletterqueue'.
            -- visible_at: when the message may be received (enqueue, schedule, abandon delay, lock expiry).
            CREATE TABLE hub_queue_messages (
                sequence_number         INTEGER PRIMARY KEY AUTOINCREMENT,
                queue                   TEXT    NOT NULL,
                message_id              TEXT    NOT NULL,
                body                    BLOB    NOT NULL,
                correlation_id          TEXT,
                subject                 TEXT,
                content_type            TEXT    NOT NULL,
                properties              TEXT,
                enqueued_at             BIGINT  NOT NULL,
                visible_at              BIGINT  NOT NULL,
                delivery_count          INTEGER NOT NULL DEFAULT 0,
                lock_token              TEXT,
                locked_until            BIGINT,
                dead_letter_reason      TEXT,
                dead_letter_description TEXT,
                dead_letter_source      TEXT
            );
            CREATE INDEX hub_queue_messages_ready ON hub_queue_messages (queue, visible_at, sequence_number);

            -- Message ids seen per queue within the duplicate-detection window. On RabbitMQ, copy_id
            -- tells a redelivery of the same copy from a resend, and peeks counts the reads of a peek
            -- that the broker counted as deliveries.
            CREATE TABLE hub_duplicate_detection (
                queue      TEXT    NOT NULL,
                message_id TEXT    NOT NULL,
                copy_id    TEXT,
                expires_at BIGINT  NOT NULL,
                peeks      INTEGER NOT NULL DEFAULT 0,
                PRIMARY KEY (queue, message_id)
            );
            CREATE INDEX hub_duplicate_detection_expiry ON hub_duplicate_detection (expires_at);

            -- Message ids each consumer has processed, written with the consumer's effect.
            CREATE TABLE hub_inbox (
                consumer     TEXT   NOT NULL,
                message_id   TEXT   NOT NULL,
                processed_at BIGINT NOT NULL,
                PRIMARY KEY (consumer, message_id)
            );
            CREATE INDEX hub_inbox_age ON hub_inbox (processed_at);

            -- Messages waiting to be published to the broker: written with a state change, scheduled
            -- for later, or abandoned with a delay. base_delivery_count carries deliveries so far.
            CREATE TABLE hub_outbox (
                id                  INTEGER PRIMARY KEY AUTOINCREMENT,
                queue               TEXT    NOT NULL,
                message_id          TEXT    NOT NULL,
                body                BLOB    NOT NULL,
                correlation_id      TEXT,
                subject             TEXT,
                content_type        TEXT    NOT NULL,
                properties          TEXT,
                copy_id             TEXT    NOT NULL,
                base_delivery_count INTEGER NOT NULL DEFAULT 0,
                due_at              BIGINT  NOT NULL,
                claimed_until       BIGINT  NOT NULL DEFAULT 0
            );
            CREATE INDEX hub_outbox_due ON hub_outbox (due_at, id);

            -- One row per timer function: who runs it now, until when, and when it is next due.
            CREATE TABLE hub_timer_leases (
                name         TEXT   NOT NULL PRIMARY KEY,
                owner        TEXT,
                leased_until BIGINT NOT NULL DEFAULT 0,
                next_run_at  BIGINT NOT NULL DEFAULT 0,
                last_run_at  BIGINT
            );
            """),
        new(2, "messaging: when each dead letter was dead-lettered", """
            -- Set when a message enters a dead-letter queue; before this migration, the time it became visible there.
            ALTER TABLE hub_queue_messages ADD COLUMN dead_lettered_at BIGINT;
            UPDATE hub_queue_messages SET dead_lettered_at = visible_at WHERE queue LIKE '%/$deadletterqueue';
            """),
    ];
}
