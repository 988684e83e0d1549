namespace IntegrationHub.Runtime.Store.Flows;

/// <summary>
/// The flows' tables: the dossier registry and timelines, portal sync cursors, dossier-code
/// sequences, deadline alerts, the identity-lookup audit log and the operators' audit log.
/// Versions 100–199 belong to the flows. Times are Unix milliseconds.
/// </summary>
internal static class FlowMigrations
{
    public static IEnumerable<HubMigration> All { get; } =
    [
        new(100, "flows: dossiers, timelines, sync cursors, code sequences, deadline alerts, identity lookups", Common + Timeline("INTEGER PRIMARY KEY AUTOINCREMENT"), Common + Timeline("BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY")),
        new(101, "flows: identity-lookup outcomes as rows of their own", Outcomes("INTEGER PRIMARY KEY AUTOINCREMENT"), Outcomes("BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY") + LookupSequence),
        new(102, "flows: paused dossiers found by an index of their own, not by stage", PausedIndex, PausedIndex + RoomForUpdates),
        new(103, "flows: the dossiers' index by department, which no query reads, dropped", NoDepartmentIndex, NoDepartmentIndex),
    ];

    // No query finds dossiers by department (a department's dossiers reach it through its queue), and each
    // dossier wrote the index twice: at intake, and again at routing.
    private const string NoDepartmentIndex = """
        DROP INDEX hub_dossiers_department;
        """;

    // Every dossier changes stage several times and nearly all are in one stage: an index on the stage
    // found nothing a query needed (due and paused dossiers have their own), and each change of stage
    // rewrote it (on PostgreSQL it also kept the change from being made in place).
    private const string PausedIndex = """
        DROP INDEX hub_dossiers_stage;
        CREATE INDEX hub_dossiers_paused ON hub_dossiers (paused_at) WHERE paused_at IS NOT NULL;
        """;

    // PostgreSQL makes an update that changes no indexed column in place (a heap-only tuple, no index
    // entries) when the row's page has room: a fifth of each page is kept for the dossier's next versions.
    private const string RoomForUpdates = """
        ALTER TABLE hub_dossiers SET (fillfactor = 80);
        """;

    // An outcome is written after the answer as a row of its own, never as an update of the lookup.
    private static string Outcomes(string identity) => $"""
        CREATE TABLE hub_identity_outcomes (
            id         {identity},
            lookup_id  TEXT    NOT NULL,
            at         BIGINT  NOT NULL,
            outcome    TEXT    NOT NULL,
            from_cache INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX hub_identity_outcomes_lookup ON hub_identity_outcomes (lookup_id);

        """;

    // The order lookups were written in, for the audit sealer (SQLite has it: the rowid).
    private const string LookupSequence = """
        ALTER TABLE hub_identity_lookups ADD COLUMN seq BIGINT GENERATED ALWAYS AS IDENTITY;
        CREATE UNIQUE INDEX hub_identity_lookups_seq ON hub_identity_lookups (seq);
        """;

    private const string Common = """
        CREATE TABLE hub_dossiers (
            portal_code          TEXT    NOT NULL PRIMARY KEY,
            city_code            TEXT    UNIQUE,
            procedure_code       TEXT    NOT NULL,
            channel              INTEGER NOT NULL,
            applicant_kind       INTEGER NOT NULL,
            masked_applicant_id  TEXT    NOT NULL,
            received_at          BIGINT  NOT NULL,
            fingerprint          TEXT    NOT NULL,
            stage                TEXT    NOT NULL,
            handed_in_at         TEXT,
            department_code      TEXT,
            receiving_branch     TEXT,
            sector_system        TEXT,
            sector_receipt_id    TEXT,
            routing_version      TEXT,
            status               INTEGER,
            due_at               BIGINT,
            resolution_days      INTEGER,
            resolution_kind      TEXT,
            supplement_requested INTEGER NOT NULL DEFAULT 0,
            paused_at            BIGINT,
            portal_synced_at     BIGINT,
            version              BIGINT  NOT NULL DEFAULT 0,
            updated_at           BIGINT  NOT NULL
        );
        CREATE INDEX hub_dossiers_due ON hub_dossiers (due_at) WHERE due_at IS NOT NULL;
        CREATE INDEX hub_dossiers_department ON hub_dossiers (department_code, received_at);
        CREATE INDEX hub_dossiers_stage ON hub_dossiers (stage);

        CREATE TABLE hub_sync_cursors (
            name       TEXT   NOT NULL PRIMARY KEY,
            cursor     TEXT   NOT NULL,
            updated_at BIGINT NOT NULL
        );

        CREATE TABLE hub_dossier_sequences (
            agency TEXT   NOT NULL,
            day    TEXT   NOT NULL,
            last   BIGINT NOT NULL,
            PRIMARY KEY (agency, day)
        );

        CREATE TABLE hub_deadline_alerts (
            portal_code TEXT   NOT NULL,
            threshold   TEXT   NOT NULL,
            raised_at   BIGINT NOT NULL,
            PRIMARY KEY (portal_code, threshold)
        );

        CREATE TABLE hub_identity_lookups (
            lookup_id         TEXT    NOT NULL PRIMARY KEY,
            at                BIGINT  NOT NULL,
            officer           TEXT    NOT NULL,
            unit              TEXT    NOT NULL,
            purpose           TEXT    NOT NULL,
            masked_citizen_id TEXT    NOT NULL,
            citizen_key       TEXT    NOT NULL,
            outcome           TEXT,
            from_cache        INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX hub_identity_lookups_citizen ON hub_identity_lookups (citizen_key, at);
        CREATE INDEX hub_identity_lookups_officer ON hub_identity_lookups (officer, at);
        """;

    // The timeline's key is the one difference between the dialects.
    private static string Timeline(string identity) => $$"""

        CREATE TABLE hub_dossier_timeline (
            id          {{identity}},
            portal_code TEXT    NOT NULL,
            at          BIGINT  NOT NULL,
            actor       TEXT    NOT NULL,
            unit        TEXT    NOT NULL,
            action      TEXT    NOT NULL,
            status      INTEGER,
            message_id  TEXT
        );
        CREATE INDEX hub_dossier_timeline_dossier ON hub_dossier_timeline (portal_code, id);
        """;
}
