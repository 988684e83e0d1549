using System.Data.Common;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Runtime.Store;

/// <summary>
/// Applies the contributed migrations not yet recorded in <c>hub_migrations</c>, in version order,
/// each in its own transaction, on either database: processes starting together apply each migration
/// once and none sees another's half-applied (SQLite: each migration's transaction takes the write lock
/// at once; PostgreSQL: the runs queue on a session advisory lock).
/// </summary>
internal static class MigrationRunner
{
    // Any number the hub's database uses for nothing else: "HUBMIG" in ASCII.
    private const long PostgresLock = 0x4855424D4947;

    private const string CreateHistory = """
        CREATE TABLE IF NOT EXISTS hub_migrations (
            version    BIGINT PRIMARY KEY,
            name       TEXT   NOT NULL,
            applied_at BIGINT NOT NULL
        );
        """;

    public static async Task ApplyAsync(DbConnection connection, SqlDialect dialect, IReadOnlyList<HubMigration> migrations, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        var ordered = Validate(migrations);
        var postgres = dialect == SqlDialect.PostgreSql;
        if (postgres)
        {
            await connection.ExecuteAsync($"SELECT pg_advisory_lock({PostgresLock})", cancellationToken);
        }

        try
        {
            await connection.ExecuteAsync(CreateHistory, cancellationToken);
            foreach (var migration in ordered)
            {
                await ApplyOneAsync(connection, dialect, migration, time, logger, cancellationToken);
            }
        }
        finally
        {
            if (postgres)
            {
                await connection.ExecuteAsync($"SELECT pg_advisory_unlock({PostgresLock})", CancellationToken.None);
            }
        }
    }

    /// <summary>The migrations in version order; two with one version and different names stop the host, naming both.</summary>
    public static List<HubMigration> Validate(IReadOnlyList<HubMigration> migrations)
    {
        var clash = migrations.GroupBy(m => m.Version).FirstOrDefault(g => g.Select(m => m.Name).Distinct().Count() > 1);
        if (clash is not null)
        {
            throw new InvalidOperationException(
                $"Two migrations claim version {clash.Key}: {string.Join(" and ", clash.Select(m => $"'{m.Name}'"))}. Give one of them the next free version.");
        }

        return migrations.DistinctBy(m => m.Version).OrderBy(m => m.Version).ToList();
    }

    private static async Task ApplyOneAsync(DbConnection connection, SqlDialect dialect, HubMigration migration, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        // Not deferred on SQLite (BEGIN IMMEDIATE): the write lock is taken before the history is read.
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var select = InTransaction(connection.Command("SELECT name FROM hub_migrations WHERE version = @version"), transaction).Param("@version", migration.Version))
        {
            if (await select.ExecuteScalarAsync(cancellationToken) is string recorded)
            {
                if (recorded != migration.Name)
                {
                    throw new InvalidOperationException(
                        $"Migration {migration.Version} is recorded in the hub database as '{recorded}', but this build calls it '{migration.Name}'. A shipped migration must not change.");
                }

                return;
            }
        }

        await using (var apply = InTransaction(connection.Command(migration.SqlFor(dialect)), transaction))
        {
            await apply.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var record = InTransaction(connection.Command("INSERT INTO hub_migrations (version, name, applied_at) VALUES (@version, @name, @at)"), transaction)
            .Param("@version", migration.Version).Param("@name", migration.Name).Param("@at", time.GetUtcNow()))
        {
            await record.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        Log.MigrationApplied(logger, migration.Version, migration.Name);
    }

    private static DbCommand InTransaction(DbCommand command, DbTransaction transaction)
    {
        command.Transaction = transaction;
        return command;
    }
}
