using Microsoft.Extensions.Logging;
using Npgsql;

namespace IntegrationHub.Runtime.Store.PostgreSql;

/// <summary>
/// Applies the contributed migrations not yet recorded in <c>hub_migrations</c> on PostgreSQL, in
/// version order, each in its own transaction. Instances starting together queue on a session
/// advisory lock, so that each migration is applied once and none sees another's half-applied.
/// </summary>
internal static class PostgresMigrationRunner
{
    // Any number the hub's database uses for nothing else: "HUBMIG" in ASCII.
    private const long MigrationLock = 0x4855424D4947;

    public static async Task ApplyAsync(NpgsqlDataSource dataSource, IReadOnlyList<HubMigration> migrations, TimeProvider time, ILogger logger)
    {
        var ordered = MigrationRunner.Validate(migrations);
        await using var connection = await dataSource.OpenConnectionAsync();
        await ExecuteAsync(connection, $"SELECT pg_advisory_lock({MigrationLock})");
        try
        {
            await ExecuteAsync(connection, MigrationRunner.CreateHistory);
            foreach (var migration in ordered)
            {
                await ApplyOneAsync(connection, migration, time, logger);
            }
        }
        finally
        {
            await ExecuteAsync(connection, $"SELECT pg_advisory_unlock({MigrationLock})");
        }
    }

    private static async Task ApplyOneAsync(NpgsqlConnection connection, HubMigration migration, TimeProvider time, ILogger logger)
    {
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var select = new NpgsqlCommand("SELECT name FROM hub_migrations WHERE version = @version", connection, transaction))
        {
            select.Parameters.AddWithValue("version", migration.Version);
            if (await select.ExecuteScalarAsync() is string recorded)
            {
                if (recorded != migration.Name)
                {
                    throw MigrationRunner.Renamed(migration, recorded);
                }

                return;
            }
        }

        await using (var apply = new NpgsqlCommand(migration.SqlFor(SqlDialect.PostgreSql), connection, transaction))
        {
            await apply.ExecuteNonQueryAsync();
        }

        await using (var record = new NpgsqlCommand("INSERT INTO hub_migrations (version, name, applied_at) VALUES (@version, @name, @at)", connection, transaction))
        {
            record.Parameters.AddWithValue("version", migration.Version);
            record.Parameters.AddWithValue("name", migration.Name);
            record.Parameters.AddWithValue("at", time.GetUtcNow().ToUnixTimeMilliseconds());
            await record.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
        Log.MigrationApplied(logger, migration.Version, migration.Name);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
