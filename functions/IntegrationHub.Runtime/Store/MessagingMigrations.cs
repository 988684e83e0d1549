namespace IntegrationHub.Runtime.Store;

/// <summary>
/// The messaging tables: declared queues, queue messages and their dead letters (embedded
/// transport, SQLite only), duplicate detection, the inbox of processed ids per consumer, the outbox
/// (broker transports: messages written with a state change, and delayed ones waiting to be
/// relayed), messages held for consumers outside the hub (RabbitMQ) or pulled by them (Service Bus),
/// timer leases and timer runs. Versions 1–99 belong to messaging. Times are Unix milliseconds.
/// </summary>
internal static class MessagingMigrations
{
    public static IEnumerable<HubMigration> All { get; } =
    [
        new(1, "messaging: queues, messages, duplicate detection, inbox, outbox, timer leases", SqliteQueues + Common + Outbox(SqliteTypes), Common + Outbox(PostgreSqlTypes)),
        new(2, "messaging: when each dead letter was dead-lettered", DeadLetteredAt, NoQueueTables),
        new(3, "messaging: duplicate claims by delivery, held messages, timer runs", HeldAndRuns(SqliteTypes), HeldAndRuns(PostgreSqlTypes)),
        new(4, "messaging: messages pulled from Azure Service Bus", ServiceBusPulls(SqliteTypes), ServiceBusPulls(PostgreSqlTypes)),
    ];

    // Migration 1. The queue tables are the embedded transport's, which runs on SQLite only.
    private const string SqliteQueues = """
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

        """;

    private const string Common = """
        CREATE TABLE hub_queues (
            name       TEXT   NOT NULL PRIMARY KEY,
            created_at BIGINT NOT NULL
        );

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

        -- One row per timer function: who runs it now, until when, and when it is next due.
        CREATE TABLE hub_timer_leases (
            name         TEXT   NOT NULL PRIMARY KEY,
            owner        TEXT,
            leased_until BIGINT NOT NULL DEFAULT 0,
            next_run_at  BIGINT NOT NULL DEFAULT 0,
            last_run_at  BIGINT
        );

        """;

    // A message as it was sent: the columns the outbox and the held messages share.
    private static string MessageColumns(ColumnTypes types) =>
        $"message_id TEXT NOT NULL, body {types.Bytes} NOT NULL, correlation_id TEXT, subject TEXT, content_type TEXT NOT NULL, properties TEXT";

    // Messages waiting to be published to the broker: written with a state change, scheduled for
    // later, or abandoned with a delay. base_delivery_count carries deliveries so far.
    private static string Outbox(ColumnTypes types) => $$"""
        CREATE TABLE hub_outbox (
            id                  {{types.Identity}},
            queue               TEXT    NOT NULL,
            {{MessageColumns(types)}},
            copy_id             TEXT    NOT NULL,
            base_delivery_count INTEGER NOT NULL DEFAULT 0,
            due_at              BIGINT  NOT NULL,
            claimed_until       BIGINT  NOT NULL DEFAULT 0
        );
        CREATE INDEX hub_outbox_due ON hub_outbox (due_at, id);
        """;

    // Migration 2. Set when a message enters a dead-letter queue; before this migration, the time it
    // became visible there. The queue tables are SQLite's only.
    private const string DeadLetteredAt = """
        ALTER TABLE hub_queue_messages ADD COLUMN dead_lettered_at BIGINT;
        UPDATE hub_queue_messages SET dead_lettered_at = visible_at WHERE queue LIKE '%/$deadletterqueue';
        """;

    private const string NoQueueTables = "SELECT 1;";

    // Migration 3.
    // delivered: whether a copy holding the claim has been delivered once. A copy published a second
    // time (a relay that died between the broker's confirm and its delete) arrives as a first
    // delivery of a copy already delivered, and is dropped; the hub republishing a message on purpose
    // (a delay, a replay, a pull not settled in time) hands the claim to a new copy instead.
    private const string DeliveredColumn = """
        ALTER TABLE hub_duplicate_detection ADD COLUMN delivered INTEGER NOT NULL DEFAULT 0;

        """;

    // Messages taken from the broker for a consumer outside the hub (a department pulling over HTTP),
    // held here under a lock that any instance can renew or settle; a settled one stays (settled_at)
    // for the duplicate window, so that the broker redelivering it after a crash is not held again.
    // One row per timer run: which instance ran it, and until when its lease ran.
    private static string HeldAndRuns(ColumnTypes types) => DeliveredColumn + $$"""
        CREATE TABLE hub_held_messages (
            lock_token      TEXT    NOT NULL PRIMARY KEY,
            queue           TEXT    NOT NULL,
            copy_id         TEXT    NOT NULL,
            {{MessageColumns(types)}},
            sequence_number BIGINT  NOT NULL,
            enqueued_at     BIGINT  NOT NULL,
            delivery_count  INTEGER NOT NULL,
            locked_until    BIGINT  NOT NULL,
            settled_at      BIGINT,
            UNIQUE (queue, copy_id)
        );
        CREATE INDEX hub_held_messages_expiry ON hub_held_messages (locked_until) WHERE settled_at IS NULL;
        CREATE INDEX hub_held_messages_settled ON hub_held_messages (settled_at) WHERE settled_at IS NOT NULL;

        CREATE TABLE hub_timer_runs (
            id          {{types.Identity}},
            name        TEXT    NOT NULL,
            instance    TEXT    NOT NULL,
            started_at  BIGINT  NOT NULL,
            lease_until BIGINT  NOT NULL,
            finished_at BIGINT,
            succeeded   INTEGER
        );
        CREATE INDEX hub_timer_runs_name ON hub_timer_runs (name, started_at);
        """;

    // Migration 4. Messages pulled under a Service Bus peek-lock for a consumer outside the hub (a
    // department over HTTP): the namespace keeps the lock; the row says that it is a pull and until
    // when (counted as locked by every instance), and keeps the message for an abandon with a delay
    // through another instance. An instance settles a pull by deleting its row first.
    private static string ServiceBusPulls(ColumnTypes types) => $$"""
        CREATE TABLE hub_servicebus_pulls (
            lock_token      TEXT    NOT NULL PRIMARY KEY,
            queue           TEXT    NOT NULL,
            {{MessageColumns(types)}},
            sequence_number BIGINT  NOT NULL,
            delivery_count  INTEGER NOT NULL,
            locked_until    BIGINT  NOT NULL
        );
        CREATE INDEX hub_servicebus_pulls_queue ON hub_servicebus_pulls (queue, locked_until);
        """;

    // Properties, not fields: All, above, is initialised first.
    private static ColumnTypes SqliteTypes => new("BLOB ", "INTEGER PRIMARY KEY AUTOINCREMENT");

    private static ColumnTypes PostgreSqlTypes => new("BYTEA", "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY");

    /// <summary>Where the two dialects' tables differ: bytes, and a generated key.</summary>
    private readonly record struct ColumnTypes(string Bytes, string Identity);
}
