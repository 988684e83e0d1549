using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Runtime.Store;

/// <summary>
/// Applies the contributed migrations not yet recorded in <c>hub_migrations</c>, in version order,
/// each in its own write transaction, so that two processes starting together apply each once.
/// </summary>
internal static class MigrationRunner
{
    public const string CreateHistory = """
        CREATE TABLE IF NOT EXISTS hub_migrations (
            version    BIGINT PRIMARY KEY,
            name       TEXT   NOT NULL,
            applied_at BIGINT NOT NULL
        );
        """;

    public static void Apply(SqliteConnection connection, IReadOnlyList<HubMigration> migrations, TimeProvider time, ILogger logger)
    {
        var ordered = Validate(migrations);
        connection.Execute(CreateHistory);
        foreach (var migration in ordered)
        {
            ApplyOne(connection, migration, time, logger);
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

    private static void ApplyOne(SqliteConnection connection, HubMigration migration, TimeProvider time, ILogger logger)
    {
        connection.Execute("BEGIN IMMEDIATE;");
        try
        {
            var recorded = RecordedName(connection, migration.Version);
            if (recorded is null)
            {
                connection.Execute(migration.SqlFor(SqlDialect.Sqlite));
                using var insert = connection.Command("INSERT INTO hub_migrations (version, name, applied_at) VALUES ($version, $name, $at);")
                    .With("$version", migration.Version).With("$name", migration.Name).With("$at", time.GetUtcNow().ToUnixMs());
                insert.ExecuteNonQuery();
                Log.MigrationApplied(logger, migration.Version, migration.Name);
            }
            else if (recorded != migration.Name)
            {
                throw Renamed(migration, recorded);
            }

            connection.Execute("COMMIT;");
        }
        catch
        {
            connection.Execute("ROLLBACK;");
            throw;
        }
    }

    public static InvalidOperationException Renamed(HubMigration migration, string recorded) => new(
        $"Migration {migration.Version} is recorded in the hub database as '{recorded}', but this build calls it '{migration.Name}'. A shipped migration must not change.");

    private static string? RecordedName(SqliteConnection connection, long version)
    {
        using var command = connection.Command("SELECT name FROM hub_migrations WHERE version = $version;").With("$version", version);
        return command.ExecuteScalar() as string;
    }
}
