namespace IntegrationHub.Runtime.Store.Operations;

/// <summary>
/// The operations tables: the operator audit log, which the database itself keeps append-only
/// (updates and deletes are refused by triggers), and replay jobs with their items. Versions
/// 200–299 belong to operations. Times are Unix milliseconds.
/// </summary>
internal static class OperationsMigrations
{
    public static IEnumerable<HubMigration> All { get; } =
    [
        new(200, "operations: operator audit log (append-only), replay jobs and their items", Sqlite, PostgreSql),
        new(201, "operations: a replay item's corrected body and its timeline note", ItemEdits("BLOB"), ItemEdits("BYTEA")),
    ];

    private static string ItemEdits(string bytes) => $"""
        ALTER TABLE hub_ops_replay_items ADD COLUMN replacement_body {bytes};
        ALTER TABLE hub_ops_replay_items ADD COLUMN note TEXT;
        """;

    private const string Common = """
        CREATE TABLE hub_ops_replay_jobs (
            id             TEXT    NOT NULL PRIMARY KEY,
            queue          TEXT    NOT NULL,
            actor          TEXT    NOT NULL,
            actor_name     TEXT    NOT NULL,
            actor_unit     TEXT    NOT NULL,
            comment        TEXT    NOT NULL,
            selection      TEXT    NOT NULL,
            max_per_second INTEGER NOT NULL,
            created_at     BIGINT  NOT NULL,
            status         TEXT    NOT NULL,
            finished_at    BIGINT,
            cancelled_by   TEXT,
            owner          TEXT,
            owned_until    BIGINT  NOT NULL DEFAULT 0
        );
        CREATE INDEX hub_ops_replay_jobs_status ON hub_ops_replay_jobs (status, created_at);

        CREATE TABLE hub_ops_replay_items (
            job_id          TEXT    NOT NULL,
            position        INTEGER NOT NULL,
            sequence_number BIGINT  NOT NULL,
            message_id      TEXT    NOT NULL,
            correlation_id  TEXT,
            reason          TEXT,
            state           TEXT    NOT NULL,
            tried_at        BIGINT,
            error           TEXT,
            PRIMARY KEY (job_id, position)
        );

        """;

    private const string AuditColumns = """
            at         BIGINT NOT NULL,
            actor      TEXT   NOT NULL,
            actor_name TEXT   NOT NULL,
            unit       TEXT   NOT NULL,
            action     TEXT   NOT NULL,
            queue      TEXT,
            message_id TEXT,
            job_id     TEXT,
            comment    TEXT   NOT NULL,
            detail     TEXT
        );
        CREATE INDEX hub_ops_audit_at ON hub_ops_audit (at);
        CREATE INDEX hub_ops_audit_message ON hub_ops_audit (message_id);
        CREATE INDEX hub_ops_audit_job ON hub_ops_audit (job_id);
        """;

    private const string Sqlite = Common + """
        CREATE TABLE hub_ops_audit (
            id         INTEGER PRIMARY KEY AUTOINCREMENT,
        """ + AuditColumns + """

        CREATE TRIGGER hub_ops_audit_no_update BEFORE UPDATE ON hub_ops_audit
        BEGIN SELECT RAISE(ABORT, 'hub_ops_audit is append-only: entries are never changed'); END;
        CREATE TRIGGER hub_ops_audit_no_delete BEFORE DELETE ON hub_ops_audit
        BEGIN SELECT RAISE(ABORT, 'hub_ops_audit is append-only: entries are never removed'); END;
        """;

    private const string PostgreSql = Common + """
        CREATE TABLE hub_ops_audit (
            id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        """ + AuditColumns + """

        CREATE FUNCTION hub_ops_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'hub_ops_audit is append-only: entries are never changed or removed'; END $$;
        CREATE TRIGGER hub_ops_audit_no_change BEFORE UPDATE OR DELETE ON hub_ops_audit
            FOR EACH ROW EXECUTE FUNCTION hub_ops_audit_append_only();
        CREATE TRIGGER hub_ops_audit_no_truncate BEFORE TRUNCATE ON hub_ops_audit
            FOR EACH STATEMENT EXECUTE FUNCTION hub_ops_audit_append_only();
        """;
}
