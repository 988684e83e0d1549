using System.Data.Common;
using IntegrationHub.Core.Audit;
using IntegrationHub.Core.Messaging;
using IntegrationHub.Core.Operations;
using IntegrationHub.Schemas;

namespace IntegrationHub.Runtime.Store.Audit;

/// <summary>
/// The audit chains on the hub database. The sealer finds entries that have no seal yet (not ids
/// above the last one: ids from a sequence do not commit in id order), scanning each table above a
/// floor below which every entry is known to be sealed. The floor moves up to the highest id seen at
/// an earlier pass once nothing written before that pass can still commit: at once on SQLite (one
/// writer), and on PostgreSQL when every transaction running then has ended (the snapshot's xmin has
/// passed the xmax seen then) and a little time has gone by.
/// </summary>
internal sealed class SqlAuditStore(IHubStore store, IHubDatabase database, IHubTransactions transactions, OpenTransactions open, IOperatorAuditLog operators) : IAuditStore
{
    private const int RetentionWindow = 1000;
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Seals everything of the chain that waits, batch by batch: read on a connection of its own,
    /// each source after the last row read of it (so a backlog is read once), then each batch's seals written in a
    /// short write of their own (on SQLite through the one writer, on PostgreSQL on the reading
    /// connection: <see cref="WriteOnAsync"/>), so that the writers of the logs wait for the inserts
    /// only. On SQLite, where the one writer commits ids in order, the floor is simply the
    /// last id sealed, moved with each batch's seals. A second sealer that got there first makes the
    /// insert fail on the chain's position: nothing of that batch is written, and the next pass goes
    /// on from the new head (the pass ends there, counting what it sealed before).
    /// </summary>
    public async Task<int> SealAsync(string chain, int max, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var dialect = store.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        var (xmin, _) = await SnapshotAsync(connection, dialect, cancellationToken);
        var sources = AuditSource.Of(chain).ToList();
        var floors = await FloorsAsync(connection, sources, cancellationToken);

        var after = sources.ToDictionary(s => s, s => floors[s].Floor);
        var unsealed = new UnsealedRows(sources);
        var head = await AuditQueries.HeadAsync(connection, null, chain, cancellationToken);
        var total = 0;
        do
        {
            foreach (var source in unsealed.ToRead.ToList())
            {
                unsealed.Add(source, await UnsealedAsync(connection, dialect, source, unsealed.LastRead(source, after[source]), max, cancellationToken), max);
            }

            var taken = unsealed.Take(max);
            var (seals, next) = ChainSealing.Seal(head, taken.Select(t => t.Entry));
            foreach (var (source, sequence, _) in taken)
            {
                after[source] = sequence;
            }

            var moved = new List<(AuditSource Source, SealerFloor Floor)>();
            foreach (var source in sources.Where(s => dialect == SqlDialect.Sqlite && after[s] != floors[s].Floor))
            {
                floors[source] = SealerFloor.Sealed(after[source]);
                moved.Add((source, floors[source]));
            }

            if ((seals.Count > 0 || moved.Count > 0) && !await TryWriteAsync(connection, dialect, seals, moved, now, cancellationToken))
            {
                return total;
            }

            head = next;
            total += seals.Count;
        }
        while (!unsealed.Complete);

        if (dialect == SqlDialect.PostgreSql)
        {
            await MoveFloorsAsync(connection, sources, floors, xmin, now, cancellationToken);
        }

        return total;
    }

    private static async Task<Dictionary<AuditSource, SealerFloor>> FloorsAsync(DbConnection connection, List<AuditSource> sources, CancellationToken cancellationToken)
    {
        var floors = new Dictionary<AuditSource, SealerFloor>();
        foreach (var source in sources)
        {
            floors[source] = await FloorAsync(connection, source, cancellationToken);
        }

        return floors;
    }

    /// <summary>
    /// Writes a batch's seals; false when another sealer (a lease that ran out under a slow pass)
    /// sealed these first: nothing of the batch was written, and the next pass goes on from the
    /// chain's new head.
    /// </summary>
    private async Task<bool> TryWriteAsync(DbConnection reading, SqlDialect dialect, IReadOnlyList<ChainSeal> seals, List<(AuditSource Source, SealerFloor Floor)> moved, DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            await WriteOnAsync(reading, (writer, token) => WriteAsync(writer, dialect, seals, moved, now, token), cancellationToken);
            return true;
        }
        catch (DbException ex) when (IsSealedByAnother(ex))
        {
            return false;
        }
    }

    public async Task<IReadOnlyList<AuditChainHead>> HeadsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await AuditQueries.HeadsAsync(connection, null, cancellationToken);
    }

    public async Task<AuditCheckpoint?> LastCheckpointAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await AuditQueries.CheckpointsAsync(connection, null, newestOnly: true, cancellationToken)).SingleOrDefault();
    }

    public Task<bool> TryAddCheckpointAsync(AuditCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        return store.WriteAsync(
            async (connection, token) =>
            {
                await using var insert = connection.Command("INSERT INTO hub_audit_checkpoints (number, at, key_id, signature) VALUES (@number, @at, @key, @signature) ON CONFLICT (number) DO NOTHING")
                    .Param("@number", checkpoint.Number).Param("@at", checkpoint.At).Param("@key", checkpoint.KeyId).Param("@signature", checkpoint.Signature);
                if (await insert.ExecuteNonQueryAsync(token) == 0)
                {
                    return false;
                }

                foreach (var head in checkpoint.Chains)
                {
                    await using var heads = connection.Command("INSERT INTO hub_audit_checkpoint_heads (number, chain, entry_count, last_hash) VALUES (@number, @chain, @count, @hash)")
                        .Param("@number", checkpoint.Number).Param("@chain", head.Chain).Param("@count", head.Count).Param("@hash", head.LastHash);
                    await heads.ExecuteNonQueryAsync(token);
                }

                return true;
            },
            cancellationToken);
    }

    public async Task<RetentionResult> RetainAsync(AuditRetention retention, OperatorAction action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(retention);
        var checkpoint = await RetainableAsync(retention.ThroughCheckpoint, cancellationToken);
        await using (var transaction = await transactions.BeginAsync(cancellationToken))
        {
            await using var insert = open.CreateCommand(transaction, "INSERT INTO hub_audit_retentions (through_checkpoint, at, key_id, signature) VALUES (@through, @at, @key, @signature)")
                .Param("@through", retention.ThroughCheckpoint).Param("@at", retention.At).Param("@key", retention.KeyId).Param("@signature", retention.Signature);
            await insert.ExecuteNonQueryAsync(cancellationToken);
            await operators.AppendAsync(transaction, action, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        var result = new RetentionResult(0, 0);
        foreach (var head in checkpoint.Chains)
        {
            for (var from = await FirstPositionAsync(head.Chain, cancellationToken); from <= head.Count; from += RetentionWindow)
            {
                var to = Math.Min(head.Count, from + RetentionWindow - 1);
                var window = await store.WriteAsync((connection, token) => DeleteAsync(connection, head.Chain, from, to, token), cancellationToken);
                result = new RetentionResult(result.Entries + window.Entries, result.Seals + window.Seals);
            }
        }

        return result;
    }

    public Task RecordVerificationAsync(AuditVerificationRecord verification, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(verification);
        return store.WriteAsync(
            async (connection, token) =>
            {
                await using var insert = connection.Command("INSERT INTO hub_audit_verifications (at, intact, entries, summary) VALUES (@at, @intact, @entries, @summary)")
                    .Param("@at", verification.At).Param("@intact", verification.Intact ? 1 : 0).Param("@entries", verification.Entries).Param("@summary", verification.Summary);
                return await insert.ExecuteNonQueryAsync(token);
            },
            cancellationToken);
    }

    public async Task<AuditVerificationRecord?> LastVerificationAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var select = connection.Command("SELECT at, intact, entries, summary FROM hub_audit_verifications ORDER BY at DESC LIMIT 1");
        var rows = await select.ReadListAsync(r => new AuditVerificationRecord(r.Time("at"), r.Flag("intact"), r.Int64("entries"), r.Text("summary")), cancellationToken);
        return rows.Count == 0 ? null : rows[0];
    }

    /// <summary>
    /// PostgreSQL: once everything above each floor has been sealed, moves the floor up to the highest
    /// id seen at an earlier pass when every transaction running then has ended and a little time has
    /// gone by (an id can be taken before its transaction has an id of its own), and notes the highest
    /// id now as the next candidate.
    /// </summary>
    private async Task MoveFloorsAsync(DbConnection connection, List<AuditSource> sources, Dictionary<AuditSource, SealerFloor> floors, long xmin, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var highest = new Dictionary<AuditSource, long>();
        foreach (var source in sources)
        {
            await using var select = connection.Command($"SELECT COALESCE(MAX({source.Sequence(SqlDialect.PostgreSql)}), 0) FROM {source.Table}");
            highest[source] = await select.ReadInt64Async(cancellationToken);
        }

        var (_, xmax) = await SnapshotAsync(connection, SqlDialect.PostgreSql, cancellationToken);
        var moved = new List<(AuditSource Source, SealerFloor Floor)>();
        foreach (var source in sources)
        {
            var settled = xmin >= floors[source].CandidateXid && now - floors[source].CandidateAt >= Grace;
            var next = floors[source].Next(settled, highest[source], xmax, now);
            if (next != floors[source])
            {
                moved.Add((source, next));
            }
        }

        if (moved.Count > 0)
        {
            await WriteOnAsync(connection, (writer, token) => WriteAsync(writer, SqlDialect.PostgreSql, [], moved, now, token), cancellationToken);
        }
    }

    /// <summary>
    /// A write of the sealer's: on SQLite through the one writer; on PostgreSQL in a transaction on the
    /// connection the pass reads with, so that a pass holds one connection of the pool, never one while
    /// it waits for a second (on a pool of one it would wait for itself until the pool's timeout).
    /// </summary>
    private async Task WriteOnAsync(DbConnection reading, Func<DbConnection, CancellationToken, Task<int>> work, CancellationToken cancellationToken)
    {
        if (store.Dialect != SqlDialect.PostgreSql)
        {
            await store.WriteAsync(work, cancellationToken);
            return;
        }

        await using var transaction = await reading.BeginTransactionAsync(cancellationToken);
        await work(reading, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task<int> WriteAsync(DbConnection connection, SqlDialect dialect, IReadOnlyList<ChainSeal> seals, IReadOnlyList<(AuditSource Source, SealerFloor Floor)> floors, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (seals.Count > 0)
        {
            await SealInserts.InsertAsync(connection, dialect, seals, now, cancellationToken);
        }

        foreach (var (source, floor) in floors)
        {
            await MoveFloorAsync(connection, source, floor, cancellationToken);
        }

        return seals.Count;
    }

    private static async Task<List<(long Sequence, AuditEntry Entry)>> UnsealedAsync(DbConnection connection, SqlDialect dialect, AuditSource source, long after, int max, CancellationToken cancellationToken)
    {
        if (connection is Microsoft.Data.Sqlite.SqliteConnection sqlite)
        {
            // Above the floor every row is new on SQLite (one writer commits ids in order).
            return SqliteSealRows.Unsealed(sqlite, source, after, max);
        }

        // On PostgreSQL some may already be sealed (ids commit out of order).
        // OFFSET 0 keeps the test a look-up of each row's seal in hub_audit_seals_entry, taken in id order
        // until the limit: as an anti join, the planner (misled by young tables' statistics) compared every
        // row above the floor with every seal of the kind, a cost that grew with the square of the log.
        var sequence = source.Sequence(dialect);
        var unsealed = $"AND NOT EXISTS (SELECT 1 FROM hub_audit_seals s WHERE s.kind = @kind AND s.entry_id = CAST(t.{source.Key} AS TEXT) OFFSET 0)";
        await using var select = connection.Command($"""
            SELECT t.{sequence} AS seq, {source.Columns("t", "e_")} FROM {source.Table} t
            WHERE t.{sequence} > @after {unsealed}
            ORDER BY t.{sequence} LIMIT @max
            """).Param("@after", after).Param("@kind", source.Kind).Param("@max", max);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        var entry = source.ReaderOf(reader, "e_");
        var seq = reader.GetOrdinal("seq");
        var rows = new List<(long, AuditEntry)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add((reader.GetInt64(seq), entry()!));
        }

        return rows;
    }

    /// <summary>A seal's place or entry already taken: a unique constraint of <c>hub_audit_seals</c> refused the insert.</summary>
    private static bool IsSealedByAnother(DbException ex) =>
        ex is Microsoft.Data.Sqlite.SqliteException { SqliteExtendedErrorCode: 2067 or 1555 }
        or Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation, TableName: "hub_audit_seals" };

    /// <summary>PostgreSQL's oldest running and next transaction ids now; nothing to wait for on SQLite.</summary>
    private static async Task<(long Xmin, long Xmax)> SnapshotAsync(DbConnection connection, SqlDialect dialect, CancellationToken cancellationToken)
    {
        if (dialect == SqlDialect.Sqlite)
        {
            return (0, 0);
        }

        await using var select = connection.Command("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS xmin, pg_snapshot_xmax(pg_current_snapshot())::text::bigint AS xmax");
        return (await select.ReadListAsync(r => (r.Int64("xmin"), r.Int64("xmax")), cancellationToken))[0];
    }

    private static async Task<SealerFloor> FloorAsync(DbConnection connection, AuditSource source, CancellationToken cancellationToken)
    {
        await using var select = connection.Command("SELECT floor, candidate, candidate_xid, candidate_at FROM hub_audit_sealer WHERE source = @source").Param("@source", source.Kind);
        var rows = await select.ReadListAsync(r => new SealerFloor(r.Int64("floor"), r.Int64("candidate"), r.Int64("candidate_xid"), Sql.Utc(r.Int64("candidate_at"))), cancellationToken);
        return rows.Count == 0 ? new SealerFloor(0, 0, 0, DateTimeOffset.MinValue) : rows[0];
    }

    private static async Task MoveFloorAsync(DbConnection connection, AuditSource source, SealerFloor floor, CancellationToken cancellationToken)
    {
        await using var upsert = connection.Command("""
            INSERT INTO hub_audit_sealer (source, floor, candidate, candidate_xid, candidate_at) VALUES (@source, @floor, @candidate, @xid, @at)
            ON CONFLICT (source) DO UPDATE SET floor = excluded.floor, candidate = excluded.candidate, candidate_xid = excluded.candidate_xid, candidate_at = excluded.candidate_at
            """).Param("@source", source.Kind).Param("@floor", floor.Floor).Param("@candidate", floor.Candidate).Param("@xid", floor.CandidateXid)
            .Param("@at", floor.CandidateAt == DateTimeOffset.MinValue ? 0L : floor.CandidateAt.ToUnixTimeMilliseconds());
        await upsert.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<AuditCheckpoint> RetainableAsync(long through, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var checkpoint = (await AuditQueries.CheckpointsAsync(connection, null, newestOnly: false, cancellationToken)).FirstOrDefault(c => c.Number == through)
            ?? throw new InvalidOperationException($"There is no checkpoint {through} in the store; retention deletes only what a stored checkpoint covers.");
        var earlier = (await AuditQueries.RetentionsAsync(connection, null, cancellationToken)).Select(r => r.ThroughCheckpoint).DefaultIfEmpty(0).Max();
        return earlier >= through
            ? throw new InvalidOperationException($"Retention already deleted through checkpoint {earlier}; choose a later checkpoint than {through}.")
            : checkpoint;
    }

    private async Task<long> FirstPositionAsync(string chain, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var select = connection.Command("SELECT COALESCE(MIN(position), 1) FROM hub_audit_seals WHERE chain = @chain").Param("@chain", chain);
        return await select.ReadInt64Async(cancellationToken);
    }

    /// <summary>The entries sealed at positions <paramref name="from"/> to <paramref name="to"/> of a chain, then their seals (the triggers allow both once a retention covers them).</summary>
    private static async Task<RetentionResult> DeleteAsync(DbConnection connection, string chain, long from, long to, CancellationToken cancellationToken)
    {
        var entries = 0L;
        foreach (var source in AuditSource.Of(chain))
        {
            var key = source.TextKey ? "entry_id" : "CAST(entry_id AS BIGINT)";
            await using var delete = connection.Command($"""
                DELETE FROM {source.Table} WHERE {source.Key} IN
                    (SELECT {key} FROM hub_audit_seals WHERE chain = @chain AND kind = @kind AND position BETWEEN @from AND @to)
                """).Param("@chain", chain).Param("@kind", source.Kind).Param("@from", from).Param("@to", to);
            entries += await delete.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var seals = connection.Command("DELETE FROM hub_audit_seals WHERE chain = @chain AND position BETWEEN @from AND @to")
            .Param("@chain", chain).Param("@from", from).Param("@to", to);
        return new RetentionResult(entries, await seals.ExecuteNonQueryAsync(cancellationToken));
    }
}
