using System.Data.Common;
using IntegrationHub.Core.Dossiers;
using IntegrationHub.Core.Messaging;
using IntegrationHub.Core.Store;
using IntegrationHub.Schemas;

namespace IntegrationHub.Runtime.Store.Flows;

/// <summary>The dossier registry and timelines on the hub database (SQLite or PostgreSQL).</summary>
internal sealed class SqlDossierRegistry(IHubDatabase database, OpenTransactions transactions, TimeProvider time) : IDossierRegistry
{
    /// <summary>
    /// A dossier's columns, in the order they are selected (<see cref="Columns"/>, each name in snake
    /// case): a dossier is read by position, twice a dossier on its way, since Microsoft.Data.Sqlite
    /// finds a column by name by reading each column's name from SQLite again.
    /// </summary>
    private enum Column
    {
        PortalCode, CityCode, ProcedureCode, Channel, ApplicantKind, MaskedApplicantId, ReceivedAt, Fingerprint, Stage,
        HandedInAt, DepartmentCode, ReceivingBranch, SectorSystem, SectorReceiptId, RoutingVersion, Status, DueAt,
        ResolutionDays, ResolutionKind, SupplementRequested, PausedAt, PortalSyncedAt, Version,
    }

    /// <summary>The columns of <see cref="Column"/> by name, in its order: one list for the statements and the reader.</summary>
    private static readonly string Columns = string.Join(", ", Enum.GetNames<Column>().Select(SnakeCase));

    public async Task<DossierRecord?> FindAsync(IHubTransaction transaction, string code, CancellationToken cancellationToken)
    {
        await using var select = Select(transactions.Of(transaction).CreateCommand($"SELECT {Columns} FROM hub_dossiers WHERE {ByCode(code)}"), code);
        return await ReadOneAsync(select, cancellationToken);
    }

    public async Task<DossierRecord?> ReadAsync(string code, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var select = Select(connection.Command($"SELECT {Columns} FROM hub_dossiers WHERE {ByCode(code)}"), code);
        return await ReadOneAsync(select, cancellationToken);
    }

    public async Task<DateTimeOffset?> PortalSyncedAtAsync(string portalCode, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var select = connection.Command("SELECT portal_synced_at FROM hub_dossiers WHERE portal_code = @code").Param("@code", portalCode);
        return await select.ExecuteScalarAsync(cancellationToken) is long at ? Sql.Local(at) : null;
    }

    public async Task<IReadOnlyList<bool>> TryAddAsync(IHubTransaction transaction, IReadOnlyList<DossierRecord> records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        var store = transactions.Of(transaction);
        var added = await store.ExecuteEachAsync(
            records.Count,
            i => Bind(store.CreateCommand($"""
                INSERT INTO hub_dossiers ({Columns}, updated_at)
                VALUES (@portal_code, @city_code, @procedure_code, @channel, @applicant_kind, @masked_applicant_id, @received_at, @fingerprint, @stage,
                        @handed_in_at, @department_code, @receiving_branch, @sector_system, @sector_receipt_id, @routing_version, @status, @due_at,
                        @resolution_days, @resolution_kind, @supplement_requested, @paused_at, @portal_synced_at, 0, @updated_at)
                ON CONFLICT (portal_code) DO NOTHING
                """), records[i]),
            cancellationToken);
        return [.. added.Select(count => count == 1)];
    }

    public async Task<DossierRecord> SaveAsync(IHubTransaction transaction, DossierRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var store = transactions.Of(transaction);
        await using var update = Bind(store.CreateCommand("""
            UPDATE hub_dossiers SET
                city_code = @city_code, procedure_code = @procedure_code, channel = @channel, applicant_kind = @applicant_kind,
                masked_applicant_id = @masked_applicant_id, received_at = @received_at, fingerprint = @fingerprint, stage = @stage,
                handed_in_at = @handed_in_at, department_code = @department_code, receiving_branch = @receiving_branch,
                sector_system = @sector_system, sector_receipt_id = @sector_receipt_id, routing_version = @routing_version,
                status = @status, due_at = @due_at, resolution_days = @resolution_days, resolution_kind = @resolution_kind,
                supplement_requested = @supplement_requested, paused_at = @paused_at, portal_synced_at = @portal_synced_at,
                version = version + 1, updated_at = @updated_at
            WHERE portal_code = @portal_code AND version = @version
            """), record).Param("@version", record.Version);
        await store.ExecuteOneRowWithCommitAsync(
            update, () => new ConcurrencyException($"Dossier {record.PortalCode} was changed by someone else since version {record.Version} was read."), cancellationToken);

        return record with { Version = record.Version + 1 };
    }

    /// <summary>
    /// Routes a dossier that has no city code yet. It is found by its key alone: "no code yet" is written so
    /// that no index can answer it, because PostgreSQL's generic plan otherwise finds the dossier through
    /// the city codes' index, reading every dossier without a city code (not yet routed, or refused before).
    /// </summary>
    internal const string RouteUncoded = """
        UPDATE hub_dossiers SET
            city_code = @city_code, stage = @stage, department_code = @department_code, receiving_branch = @receiving_branch,
            sector_system = @sector_system, routing_version = @routing_version, status = @status, due_at = @due_at,
            resolution_days = @resolution_days, resolution_kind = @resolution_kind, supplement_requested = @supplement_requested,
            paused_at = @paused_at, version = version + 1, updated_at = @updated_at
        WHERE portal_code = @portal_code AND COALESCE(city_code, '') = ''
        """;

    public async Task RouteUncodedAsync(IHubTransaction transaction, string portalCode, DossierRouting routing, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(routing);
        var store = transactions.Of(transaction);
        await using var update = BindProgress(store.CreateCommand(RouteUncoded), routing.Progress)
            .Param("@portal_code", portalCode).Param("@city_code", routing.CityCode).Param("@stage", nameof(DossierStage.Routed))
            .Param("@department_code", routing.DepartmentCode).Param("@receiving_branch", routing.ReceivingBranch)
            .Param("@sector_system", routing.SectorSystem).Param("@routing_version", routing.RoutingVersion).Param("@updated_at", time.GetUtcNow().Ms());
        await store.ExecuteOneRowWithCommitAsync(
            update, () => new ConcurrencyException($"Dossier {portalCode} is not there or has a city code already."), cancellationToken);
    }

    public async Task<DateTimeOffset?> AdvanceStageAsync(IHubTransaction transaction, string portalCode, DossierStage stage, CancellationToken cancellationToken)
    {
        await using var update = StageUpdate(transactions.Of(transaction), portalCode, stage, " RETURNING received_at");
        return await update.ExecuteScalarAsync(cancellationToken) is long receivedAt ? Sql.Local(receivedAt) : null;
    }

    public async Task SetStageAsync(IHubTransaction transaction, string portalCode, DossierStage stage, CancellationToken cancellationToken)
    {
        var store = transactions.Of(transaction);
        await using var update = StageUpdate(store, portalCode, stage, "");
        await store.ExecuteWithCommitAsync(update, cancellationToken);
    }

    /// <summary>The update that moves a dossier to <paramref name="stage"/>, with <paramref name="returning"/> after it.</summary>
    private DbCommand StageUpdate(IHubStoreTransaction store, string portalCode, DossierStage stage, string returning) =>
        store.CreateCommand($"UPDATE hub_dossiers SET stage = @stage, version = version + 1, updated_at = @now WHERE portal_code = @code{returning}")
            .Param("@stage", stage.ToString()).Param("@now", time.GetUtcNow().Ms()).Param("@code", portalCode);

    public async Task MarkPortalSyncedAsync(IHubTransaction transaction, string portalCode, DateTimeOffset changedAt, CancellationToken cancellationToken)
    {
        var store = transactions.Of(transaction);
        await using var update = store.CreateCommand("""
            UPDATE hub_dossiers SET portal_synced_at = @at, version = version + 1, updated_at = @now
            WHERE portal_code = @code AND (portal_synced_at IS NULL OR portal_synced_at < @at)
            """).Param("@at", changedAt.Ms()).Param("@now", time.GetUtcNow().Ms()).Param("@code", portalCode);
        await store.ExecuteWithCommitAsync(update, cancellationToken);
    }

    public async Task SetSectorReceiptAsync(IHubTransaction transaction, string portalCode, string receiptId, CancellationToken cancellationToken)
    {
        var store = transactions.Of(transaction);
        await using var update = store.CreateCommand("""
            UPDATE hub_dossiers SET sector_receipt_id = @receipt, version = version + 1, updated_at = @now WHERE portal_code = @code
            """).Param("@receipt", receiptId).Param("@now", time.GetUtcNow().Ms()).Param("@code", portalCode);
        await store.ExecuteWithCommitAsync(update, cancellationToken);
    }

    public async Task AppendAsync(IHubTransaction transaction, TimelineEvent step, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(step);
        var store = transactions.Of(transaction);
        await using var insert = store.CreateCommand("""
            INSERT INTO hub_dossier_timeline (portal_code, at, actor, unit, action, status, message_id)
            VALUES (@portal_code, @at, @actor, @unit, @action, @status, @message_id)
            """)
            .Param("@portal_code", step.PortalCode).Param("@at", step.At.Ms()).Param("@actor", step.Actor).Param("@unit", step.Unit)
            .Param("@action", step.Action).Param("@status", step.Status is { } s ? (int)s : null).Param("@message_id", step.MessageId);
        await store.ExecuteWithCommitAsync(insert, cancellationToken);
    }

    public async Task<IReadOnlyList<TimelineEvent>> TimelineAsync(string portalCode, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var select = connection.Command("SELECT portal_code, at, actor, unit, action, status, message_id FROM hub_dossier_timeline WHERE portal_code = @code ORDER BY id")
            .Param("@code", portalCode);
        return await select.ReadListAsync(
            reader => new TimelineEvent
            {
                PortalCode = reader.Text("portal_code"),
                At = reader.Time("at"),
                Actor = reader.Text("actor"),
                Unit = reader.Text("unit"),
                Action = reader.Text("action"),
                Status = reader.Int32OrNull("status") is { } status ? (DossierStatus)status : null,
                MessageId = reader.TextOrNull("message_id"),
            },
            cancellationToken);
    }

    public async Task<IReadOnlyList<DossierRecord>> DueBeforeAsync(DateTimeOffset before, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var select = connection.Command($"""
            SELECT {Columns} FROM hub_dossiers
            WHERE due_at IS NOT NULL AND due_at < @before AND stage = @routed AND status NOT IN (3, 7, 8, 9, 10)
            ORDER BY due_at LIMIT @limit
            """).Param("@before", before.Ms()).Param("@routed", nameof(DossierStage.Routed)).Param("@limit", limit);
        return await ReadAllAsync(select, cancellationToken);
    }

    public async Task<IReadOnlyList<DossierRecord>> PausedAsync(int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var select = connection.Command($"""
            SELECT {Columns} FROM hub_dossiers
            WHERE paused_at IS NOT NULL AND stage = @routed
            ORDER BY paused_at LIMIT @limit
            """).Param("@routed", nameof(DossierStage.Routed)).Param("@limit", limit);
        return await ReadAllAsync(select, cancellationToken);
    }

    private static DbCommand Select(DbCommand command, string code) => command.Param("@code", code);

    /// <summary>
    /// The dossier a code names: a text in the form of a city code by either key (a portal code of that
    /// form is found too), any other by the portal code's key alone, one index looked up instead of two.
    /// </summary>
    private static string ByCode(string code) => DossierCode.TryParse(code, out _) ? "portal_code = @code OR city_code = @code" : "portal_code = @code";

    private DbCommand Bind(DbCommand command, DossierRecord record) => BindProgress(command
        .Param("@portal_code", record.PortalCode).Param("@city_code", record.CityCode).Param("@procedure_code", record.ProcedureCode)
        .Param("@channel", (int)record.Channel).Param("@applicant_kind", (int)record.ApplicantKind).Param("@masked_applicant_id", record.MaskedApplicantId)
        .Param("@received_at", record.ReceivedAt.Ms()).Param("@fingerprint", record.Fingerprint).Param("@stage", record.Stage.ToString())
        .Param("@handed_in_at", record.HandedInAt).Param("@department_code", record.DepartmentCode).Param("@receiving_branch", record.ReceivingBranch)
        .Param("@sector_system", record.SectorSystem).Param("@sector_receipt_id", record.SectorReceiptId).Param("@routing_version", record.RoutingVersion), record.Progress)
        .Param("@portal_synced_at", record.PortalSyncedAt).Param("@updated_at", time.GetUtcNow().Ms());

    private static DbCommand BindProgress(DbCommand command, DossierProgress? progress) => command
        .Param("@status", progress is { } p ? (int)p.Status : null).Param("@due_at", progress?.DueAt)
        .Param("@resolution_days", progress?.Resolution.Days).Param("@resolution_kind", progress?.Resolution.Kind.ToString())
        .Param("@supplement_requested", progress?.SupplementRequested == true ? 1 : 0).Param("@paused_at", progress?.PausedAt);

    private static async Task<DossierRecord?> ReadOneAsync(DbCommand select, CancellationToken cancellationToken) =>
        (await ReadAllAsync(select, cancellationToken)).SingleOrDefault();

    private static async Task<IReadOnlyList<DossierRecord>> ReadAllAsync(DbCommand select, CancellationToken cancellationToken) =>
        await select.ReadListAsync(Read, cancellationToken);

    private static DossierRecord Read(DbDataReader reader) => new()
    {
        PortalCode = reader.GetString((int)Column.PortalCode),
        CityCode = reader.TextOrNull((int)Column.CityCode),
        ProcedureCode = reader.GetString((int)Column.ProcedureCode),
        Channel = (Channel)reader.GetInt32((int)Column.Channel),
        ApplicantKind = (ApplicantKind)reader.GetInt32((int)Column.ApplicantKind),
        MaskedApplicantId = reader.GetString((int)Column.MaskedApplicantId),
        ReceivedAt = reader.Time((int)Column.ReceivedAt),
        Fingerprint = reader.GetString((int)Column.Fingerprint),
        Stage = reader.Enum<DossierStage>((int)Column.Stage),
        HandedInAt = reader.TextOrNull((int)Column.HandedInAt),
        DepartmentCode = reader.TextOrNull((int)Column.DepartmentCode),
        ReceivingBranch = reader.TextOrNull((int)Column.ReceivingBranch),
        SectorSystem = reader.TextOrNull((int)Column.SectorSystem),
        SectorReceiptId = reader.TextOrNull((int)Column.SectorReceiptId),
        RoutingVersion = reader.TextOrNull((int)Column.RoutingVersion),
        Progress = ReadProgress(reader),
        PortalSyncedAt = reader.TimeOrNull((int)Column.PortalSyncedAt),
        Version = reader.GetInt64((int)Column.Version),
    };

    private static DossierProgress? ReadProgress(DbDataReader reader) => reader.Int32OrNull((int)Column.Status) is not { } status ? null : new DossierProgress
    {
        Status = (DossierStatus)status,
        DueAt = reader.TimeOrNull((int)Column.DueAt) ?? Sql.Local(0),
        Resolution = new ResolutionTime
        {
            Days = reader.Int32OrNull((int)Column.ResolutionDays) ?? 0,
            Kind = reader.TextOrNull((int)Column.ResolutionKind) is { } kind ? Enum.Parse<ResolutionKind>(kind) : ResolutionKind.WorkingDays,
        },
        SupplementRequested = reader.Flag((int)Column.SupplementRequested),
        PausedAt = reader.TimeOrNull((int)Column.PausedAt),
    };

    private static string SnakeCase(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) ? (i > 0 ? "_" : "") + char.ToLowerInvariant(c) : c.ToString()));
}
