using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Runtime.Store;

/// <summary>The hub database on one SQLite file in WAL mode, migrated before first use.</summary>
internal sealed class SqliteHubDatabase : IHubDatabase
{
    private static readonly Lazy<bool> NativeLibrary = new(() =>
    {
        SQLitePCL.Batteries_V2.Init();
        return true;
    });

    private readonly string connectionString;
    private readonly string synchronous;
    private readonly Lazy<Task> migrated;

    public SqliteHubDatabase(IOptions<MessagingOptions> options, IEnumerable<HubMigration> migrations, TimeProvider time, ILogger<SqliteHubDatabase> logger)
    {
        _ = NativeLibrary.Value;
        var settings = options.Value;
        FilePath = Path.GetFullPath(settings.DatabasePath);
        synchronous = settings.FlushEveryCommit ? "FULL" : "NORMAL";
        connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = FilePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        var all = migrations.ToList();
        migrated = new Lazy<Task>(() => Task.Run(() => MigrateAsync(all, time, logger)));
    }

    public SqlDialect Dialect => SqlDialect.Sqlite;

    public string FilePath { get; }

    /// <summary>The flush setting every connection opens with.</summary>
    public string SynchronousPragma => $"PRAGMA synchronous = {synchronous};";

    public async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken) => await OpenSqliteAsync(cancellationToken);

    /// <summary>Opens a connection once the migrations are applied.</summary>
    public async Task<SqliteConnection> OpenSqliteAsync(CancellationToken cancellationToken)
    {
        await migrated.Value.WaitAsync(cancellationToken);
        return Open();
    }

    /// <summary>Applies the migrations (once); a failure is thrown to every caller.</summary>
    public Task EnsureMigratedAsync(CancellationToken cancellationToken) => migrated.Value.WaitAsync(cancellationToken);

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(connectionString);
        connection.Open();
        // busy_timeout lets SQLite wait for another process's write lock instead of failing at once.
        connection.Execute($"PRAGMA busy_timeout = 30000; PRAGMA synchronous = {synchronous}; PRAGMA foreign_keys = ON;");
        return connection;
    }

    private async Task MigrateAsync(IReadOnlyList<HubMigration> migrations, TimeProvider time, ILogger logger)
    {
        var folder = Path.GetDirectoryName(FilePath);
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        await using var connection = Open();
        connection.Execute("PRAGMA journal_mode = WAL;");
        await MigrationRunner.ApplyAsync(connection, SqlDialect.Sqlite, migrations, time, logger, CancellationToken.None);
    }
}
