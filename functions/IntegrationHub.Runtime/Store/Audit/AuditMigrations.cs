namespace IntegrationHub.Runtime.Store.Audit;

/// <summary>
/// The audit chains' tables: the seals (each
/// entry's place in its chain), the signed checkpoints and retention records, the sealer's progress
/// and the hub's own verifications. Every log, seal, checkpoint and retention record is append-only
/// in the database itself: triggers refuse every UPDATE (and TRUNCATE on PostgreSQL), and every
/// DELETE except of an entry or seal at a position a recorded retention covers. Versions 300–399
/// belong to the audit chains. Times are Unix milliseconds.
/// </summary>
internal static class AuditMigrations
{
    // Computed, not stored: the SQL fields below are initialised after a stored property would be.
    public static IEnumerable<HubMigration> All =>
    [
        new(300, "audit: seals, signed checkpoints and retention records, the sealer's progress, append-only logs", Sqlite, PostgreSql),
    ];

    private const string Refused = "is append-only: entries are never changed";
    private const string RetainedOnly = "is append-only: entries are removed only by retention, once a retained checkpoint covers them";

    // SQLite keeps the seals in their key's order (WITHOUT ROWID): one B-tree fewer per seal.
    private static string Tables(string sealsOptions) => $"""
        CREATE TABLE hub_audit_seals (
            chain         TEXT   NOT NULL,
            position      BIGINT NOT NULL,
            kind          TEXT   NOT NULL,
            entry_id      TEXT   NOT NULL,
            previous_hash TEXT   NOT NULL,
            hash          TEXT   NOT NULL,
            sealed_at     BIGINT NOT NULL,
            PRIMARY KEY (chain, position)
        ){sealsOptions};
        CREATE UNIQUE INDEX hub_audit_seals_entry ON hub_audit_seals (kind, entry_id);

        CREATE TABLE hub_audit_checkpoints (
            number    BIGINT NOT NULL PRIMARY KEY,
            at        BIGINT NOT NULL,
            key_id    TEXT   NOT NULL,
            signature TEXT   NOT NULL
        );

        CREATE TABLE hub_audit_checkpoint_heads (
            number      BIGINT NOT NULL,
            chain       TEXT   NOT NULL,
            entry_count BIGINT NOT NULL,
            last_hash   TEXT   NOT NULL,
            PRIMARY KEY (number, chain)
        );

        CREATE TABLE hub_audit_retentions (
            through_checkpoint BIGINT NOT NULL PRIMARY KEY,
            at                 BIGINT NOT NULL,
            key_id             TEXT   NOT NULL,
            signature          TEXT   NOT NULL
        );

        CREATE TABLE hub_audit_sealer (
            source        TEXT   NOT NULL PRIMARY KEY,
            floor         BIGINT NOT NULL,
            candidate     BIGINT NOT NULL,
            candidate_xid BIGINT NOT NULL,
            candidate_at  BIGINT NOT NULL
        );

        CREATE TABLE hub_audit_verifications (
            at      BIGINT  NOT NULL,
            intact  INTEGER NOT NULL,
            entries BIGINT  NOT NULL,
            summary TEXT    NOT NULL
        );
        CREATE INDEX hub_audit_verifications_at ON hub_audit_verifications (at);

        """;

    // Whether a deleted log row is an entry sealed at a position a recorded retention covers.
    private static string Retained(string kind, string key) => $"""
        EXISTS (SELECT 1 FROM hub_audit_seals s
                JOIN hub_audit_checkpoint_heads h ON h.chain = s.chain AND s.position <= h.entry_count
                JOIN hub_audit_retentions r ON r.through_checkpoint = h.number
                WHERE s.kind = '{kind}' AND s.entry_id = {key})
        """;

    private static string SqliteLog(string table, string kind, string key, bool refuseUpdate = true) => (refuseUpdate ? $"""
        CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
        BEGIN SELECT RAISE(ABORT, '{table} {Refused}'); END;

        """ : "") + $"""
        CREATE TRIGGER {table}_retained_only BEFORE DELETE ON {table}
        WHEN NOT {Retained(kind, key)}
        BEGIN SELECT RAISE(ABORT, '{table} {RetainedOnly}'); END;

        """;

    private static string SqliteFixed(string table) => $"""
        CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
        BEGIN SELECT RAISE(ABORT, '{table} {Refused}'); END;
        CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table}
        BEGIN SELECT RAISE(ABORT, '{table} is append-only: entries are never removed'); END;

        """;

    private static readonly string Sqlite = Tables(" WITHOUT ROWID")
        + SqliteLog("hub_dossier_timeline", "timeline.step", "CAST(OLD.id AS TEXT)")
        + SqliteLog("hub_identity_lookups", "identity.lookup", "OLD.lookup_id")
        + SqliteLog("hub_identity_outcomes", "identity.outcome", "CAST(OLD.id AS TEXT)")
        + "DROP TRIGGER hub_ops_audit_no_delete;\n"
        + SqliteLog("hub_ops_audit", "operator.action", "CAST(OLD.id AS TEXT)", refuseUpdate: false)
        + $"""
        CREATE TRIGGER hub_audit_seals_no_update BEFORE UPDATE ON hub_audit_seals
        BEGIN SELECT RAISE(ABORT, 'hub_audit_seals {Refused}'); END;
        CREATE TRIGGER hub_audit_seals_retained_only BEFORE DELETE ON hub_audit_seals
        WHEN NOT EXISTS (SELECT 1 FROM hub_audit_checkpoint_heads h JOIN hub_audit_retentions r ON r.through_checkpoint = h.number
                         WHERE h.chain = OLD.chain AND OLD.position <= h.entry_count)
        BEGIN SELECT RAISE(ABORT, 'hub_audit_seals {RetainedOnly}'); END;

        """
        + SqliteFixed("hub_audit_checkpoints") + SqliteFixed("hub_audit_checkpoint_heads") + SqliteFixed("hub_audit_retentions");

    private static string PostgresLog(string table, string kind, string key, bool refuseUpdate = true) => (refuseUpdate ? $"""
        CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} FOR EACH ROW EXECUTE FUNCTION hub_audit_refuse();
        CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} FOR EACH STATEMENT EXECUTE FUNCTION hub_audit_refuse();

        """ : "") + $"""
        CREATE TRIGGER {table}_retained_only BEFORE DELETE ON {table} FOR EACH ROW EXECUTE FUNCTION hub_audit_retained_only('{kind}', '{key}');

        """;

    private static string PostgresFixed(string table) => $"""
        CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table} FOR EACH ROW EXECUTE FUNCTION hub_audit_refuse();
        CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} FOR EACH STATEMENT EXECUTE FUNCTION hub_audit_refuse();

        """;

    private static readonly string PostgreSql = Tables("") + $$"""
        CREATE FUNCTION hub_audit_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION '% {{Refused}} or removed', TG_TABLE_NAME; END $$;

        CREATE FUNCTION hub_audit_retained_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF EXISTS (SELECT 1 FROM hub_audit_seals s
                       JOIN hub_audit_checkpoint_heads h ON h.chain = s.chain AND s.position <= h.entry_count
                       JOIN hub_audit_retentions r ON r.through_checkpoint = h.number
                       WHERE s.kind = TG_ARGV[0] AND s.entry_id = to_jsonb(OLD) ->> TG_ARGV[1]) THEN
                RETURN OLD;
            END IF;
            RAISE EXCEPTION '% {{RetainedOnly}}', TG_TABLE_NAME;
        END $$;

        CREATE FUNCTION hub_audit_seal_retained_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF EXISTS (SELECT 1 FROM hub_audit_checkpoint_heads h JOIN hub_audit_retentions r ON r.through_checkpoint = h.number
                       WHERE h.chain = OLD.chain AND OLD.position <= h.entry_count) THEN
                RETURN OLD;
            END IF;
            RAISE EXCEPTION 'hub_audit_seals {{RetainedOnly}}';
        END $$;

        DROP TRIGGER hub_ops_audit_no_change ON hub_ops_audit;
        CREATE TRIGGER hub_ops_audit_no_update BEFORE UPDATE ON hub_ops_audit FOR EACH ROW EXECUTE FUNCTION hub_ops_audit_append_only();

        """
        + PostgresLog("hub_dossier_timeline", "timeline.step", "id")
        + PostgresLog("hub_identity_lookups", "identity.lookup", "lookup_id")
        + PostgresLog("hub_identity_outcomes", "identity.outcome", "id")
        + PostgresLog("hub_ops_audit", "operator.action", "id", refuseUpdate: false)
        + """
        CREATE TRIGGER hub_audit_seals_no_update BEFORE UPDATE ON hub_audit_seals FOR EACH ROW EXECUTE FUNCTION hub_audit_refuse();
        CREATE TRIGGER hub_audit_seals_no_truncate BEFORE TRUNCATE ON hub_audit_seals FOR EACH STATEMENT EXECUTE FUNCTION hub_audit_refuse();
        CREATE TRIGGER hub_audit_seals_retained_only BEFORE DELETE ON hub_audit_seals FOR EACH ROW EXECUTE FUNCTION hub_audit_seal_retained_only();

        """
        + PostgresFixed("hub_audit_checkpoints") + PostgresFixed("hub_audit_checkpoint_heads") + PostgresFixed("hub_audit_retentions");
}
