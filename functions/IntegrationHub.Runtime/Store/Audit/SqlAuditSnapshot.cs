using System.Data;
using System.Data.Common;
using System.Runtime.CompilerServices;
using IntegrationHub.Core.Audit;
using IntegrationHub.Schemas;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace IntegrationHub.Runtime.Store.Audit;

/// <summary>
/// The chains read in one read-only transaction, so that a verification sees one moment even while
/// the hub seals, signs and retains (PostgreSQL: repeatable read; SQLite: one read transaction on the
/// WAL). Each chain is one query, streamed in position order, every seal joined to its entry.
/// </summary>
internal sealed class SqlAuditSnapshot : IAuditSnapshot
{
    private readonly DbConnection connection;
    private readonly DbTransaction transaction;
    private readonly SqlDialect dialect;

    private SqlAuditSnapshot(DbConnection connection, DbTransaction transaction, SqlDialect dialect)
    {
        this.connection = connection;
        this.transaction = transaction;
        this.dialect = dialect;
    }

    /// <summary>A snapshot on <paramref name="connection"/>, which it disposes.</summary>
    public static async Task<IAuditSnapshot> BeginAsync(DbConnection connection, SqlDialect dialect, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        try
        {
            if (connection is SqliteConnection sqlite)
            {
                return new SqlAuditSnapshot(connection, sqlite.BeginTransaction(deferred: true), dialect);
            }

            var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
            await using var readOnly = connection.Command("SET TRANSACTION READ ONLY");
            readOnly.Transaction = transaction;
            await readOnly.ExecuteNonQueryAsync(cancellationToken);
            return new SqlAuditSnapshot(connection, transaction, dialect);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public async IAsyncEnumerable<SealedEntry> ReadAsync(string chain, long fromPosition, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var sources = AuditSource.Of(chain).ToList();
        var joins = sources.Select((s, i) => $"LEFT JOIN {s.Table} t{i} ON s.kind = '{s.Kind}' AND t{i}.{s.Key} = {EntryKey(s)}");
        await using var select = AuditQueries.In(connection.Command($"""
            SELECT s.position, s.kind, s.entry_id, s.previous_hash, s.hash, {string.Join(", ", sources.Select((s, i) => s.Columns($"t{i}", $"e{i}_")))}
            FROM hub_audit_seals s {string.Join(" ", joins)}
            WHERE s.chain = @chain AND s.position >= @from
            ORDER BY s.position
            """), transaction).Param("@chain", chain).Param("@from", fromPosition);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        var entries = sources.Select((s, i) => s.ReaderOf(reader, $"e{i}_")).ToList();
        var (position, kind, entryId, previous, hash) = (reader.GetOrdinal("position"), reader.GetOrdinal("kind"), reader.GetOrdinal("entry_id"), reader.GetOrdinal("previous_hash"), reader.GetOrdinal("hash"));
        while (await reader.ReadAsync(cancellationToken))
        {
            var seal = new ChainSeal(chain, reader.GetInt64(position), reader.GetString(kind), reader.GetString(entryId), reader.GetString(previous), reader.GetString(hash));
            var index = sources.FindIndex(s => s.Kind == seal.Kind);
            yield return new SealedEntry(seal, index < 0 ? null : entries[index]());
        }
    }

    public Task<IReadOnlyList<AuditChainHead>> HeadsAsync(CancellationToken cancellationToken) => AuditQueries.HeadsAsync(connection, transaction, cancellationToken);

    public Task<IReadOnlyList<AuditCheckpoint>> CheckpointsAsync(CancellationToken cancellationToken) => AuditQueries.CheckpointsAsync(connection, transaction, newestOnly: false, cancellationToken);

    public Task<IReadOnlyList<AuditRetention>> RetentionsAsync(CancellationToken cancellationToken) => AuditQueries.RetentionsAsync(connection, transaction, cancellationToken);

    public Task<long> UnsealedAsync(string chain, CancellationToken cancellationToken) => AuditQueries.UnsealedAsync(connection, transaction, dialect, chain, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await transaction.DisposeAsync();
        await connection.DisposeAsync();
    }

    /// <summary>
    /// The seal's entry id as the table's key. SQLite compares text with an integer key as a number;
    /// PostgreSQL casts only what is a number, so that a seal someone wrote with another id is a
    /// missing entry rather than a failed query.
    /// </summary>
    private string EntryKey(AuditSource source) => source.TextKey || dialect == SqlDialect.Sqlite
        ? "s.entry_id"
        : "CASE WHEN s.entry_id ~ '^[0-9]{1,18}$' THEN CAST(s.entry_id AS BIGINT) END";
}

/// <summary>Snapshots of the hub's own store, for the hub's API and its verification timer.</summary>
internal sealed class SqlAuditSnapshots(IHubDatabase database) : IAuditSnapshots
{
    public async Task<IAuditSnapshot> OpenAsync(CancellationToken cancellationToken) =>
        await SqlAuditSnapshot.BeginAsync(await database.OpenAsync(cancellationToken), database.Dialect, cancellationToken);
}

/// <summary>The audit chains of a hub store read from outside the hub (the verifier's command line): read-only, no migration applied.</summary>
public static class AuditStoreReader
{
    /// <summary>A snapshot of a SQLite hub database file, opened read-only.</summary>
    public static async Task<IAuditSnapshot> OpenSqliteAsync(string path, CancellationToken cancellationToken)
    {
        SQLitePCL.Batteries_V2.Init();
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"There is no hub database at {Path.GetFullPath(path)}.", path);
        }

        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.GetFullPath(path), Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        await connection.OpenAsync(cancellationToken);
        return await SqlAuditSnapshot.BeginAsync(connection, SqlDialect.Sqlite, cancellationToken);
    }

    /// <summary>A snapshot of a PostgreSQL hub store (its transaction read-only; a read-only role is better still).</summary>
    public static async Task<IAuditSnapshot> OpenPostgresAsync(string connectionString, CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        return await SqlAuditSnapshot.BeginAsync(connection, SqlDialect.PostgreSql, cancellationToken);
    }
}
