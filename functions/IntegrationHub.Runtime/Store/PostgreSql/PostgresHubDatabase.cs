using System.Data.Common;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace IntegrationHub.Runtime.Store.PostgreSql;

/// <summary>
/// The hub store on a PostgreSQL database that several hub instances share: pooled connections from
/// one <see cref="NpgsqlDataSource"/>, migrated once before the first is handed out (the instances
/// starting together take turns through an advisory lock).
/// </summary>
internal sealed class PostgresHubDatabase : IHubDatabase, IHubStore, IAsyncDisposable
{
    /// <summary>
    /// The connections of the short transactions a step takes while it holds its own (the city code
    /// number): from the steps' pool, a step holding one connection and waiting for a second could find
    /// every connection held by steps waiting the same way, and the instance would stall. Connections
    /// from a pool of their own, each held for one round trip and never while waiting for another, are
    /// always given back. An instance takes its numbers one short transaction at a time, so one is enough.
    /// </summary>
    internal const int SidePoolSize = 1;

    /// <summary>
    /// The connections an instance's steps share when the connection string names no <c>Maximum Pool
    /// Size</c>: not Npgsql's 100, with which PostgreSQL used 4.2 ms of CPU a dossier against 2.4 ms
    /// with 8 in one instance of <c>e2e-scale-1</c>. Against 8 in alternating rounds of the same run, 16
    /// took a fifth more dossiers a second with less CPU a dossier in every process (README, "The
    /// store's pool of 16"); docs/deployment.md says when to raise it.
    /// </summary>
    internal const int DefaultPoolSize = 16;

    private readonly NpgsqlDataSource dataSource;
    private readonly NpgsqlDataSource side;
    private readonly NpgsqlDataSource listening;
    private readonly Lazy<Task> migrated;

    public PostgresHubDatabase(IOptions<MessagingOptions> options, IEnumerable<HubMigration> migrations, TimeProvider time, ILogger<PostgresHubDatabase> logger)
    {
        var builder = new NpgsqlDataSourceBuilder(options.Value.PostgreSql.ConnectionString);
        // What the operator's connection string names, by Npgsql's own names for its keywords.
        var named = builder.ConnectionStringBuilder.Keys.ToHashSet(StringComparer.Ordinal);
        if (string.IsNullOrEmpty(builder.ConnectionStringBuilder.ApplicationName))
        {
            builder.ConnectionStringBuilder.ApplicationName = "IntegrationHub";
        }

        // The hub leaves no session state on a pooled connection (settings only SET LOCAL, no temporary
        // tables or cursors kept, the migrations' advisory lock given back in a finally, a transaction
        // left open rolled back by Npgsql), so the DISCARD ALL Npgsql would send with the next use of
        // every connection, several times a dossier, is work for nothing. The one connection that keeps
        // a session state, the outbox listener's LISTEN, comes from outside the pool (OpenListeningAsync).
        builder.ConnectionStringBuilder.NoResetOnClose = true;

        // The hub runs a few dozen statements over and over: prepared on the server from their second use,
        // PostgreSQL parses and plans each once per connection instead of every time, about a quarter of
        // its CPU per dossier. An operator's own value is kept (Max Auto Prepare=0 behind a pooler in
        // transaction mode, where prepared statements do not survive from one transaction to the next).
        if (!named.Contains("Max Auto Prepare"))
        {
            builder.ConnectionStringBuilder.MaxAutoPrepare = 64;
            builder.ConnectionStringBuilder.AutoPrepareMinUsages = 2;
        }

        // PostgreSQL's CPU per dossier grows with the backends working at once (their snapshots, locks
        // and switches on the server's cores), so an instance keeps a few connections busy rather than
        // Npgsql's 100 (a step waits its turn for one instead): see DefaultPoolSize. An operator's own
        // value is kept.
        if (!named.Contains("Maximum Pool Size"))
        {
            builder.ConnectionStringBuilder.MaxPoolSize = Math.Max(DefaultPoolSize, builder.ConnectionStringBuilder.MinPoolSize);
        }

        dataSource = builder.Build();
        side = new NpgsqlDataSourceBuilder(builder.ConnectionString) { ConnectionStringBuilder = { MaxPoolSize = SidePoolSize, MinPoolSize = 0 } }.Build();
        listening = new NpgsqlDataSourceBuilder(builder.ConnectionString) { ConnectionStringBuilder = { Pooling = false } }.Build();
        var all = migrations.ToList();
        migrated = new Lazy<Task>(() => Task.Run(() => MigrateAsync(all, time, logger)));
    }

    public SqlDialect Dialect => SqlDialect.PostgreSql;

    /// <summary>Several instances share the database: starting one only needs the migrations applied.</summary>
    public Task StartInstanceAsync(CancellationToken cancellationToken) => migrated.Value.WaitAsync(cancellationToken);

    public void StopInstance()
    {
        // Nothing is claimed for one instance.
    }

    public async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken) => await OpenNpgsqlAsync(cancellationToken);

    /// <summary>Opens a pooled connection once the migrations are applied.</summary>
    public async Task<NpgsqlConnection> OpenNpgsqlAsync(CancellationToken cancellationToken)
    {
        await migrated.Value.WaitAsync(cancellationToken);
        return await dataSource.OpenConnectionAsync(cancellationToken);
    }

    /// <summary>A connection for a short transaction taken inside a step's (see <see cref="SidePoolSize"/>).</summary>
    public async Task<NpgsqlConnection> OpenSideAsync(CancellationToken cancellationToken)
    {
        await migrated.Value.WaitAsync(cancellationToken);
        return await side.OpenConnectionAsync(cancellationToken);
    }

    /// <summary>A connection of its own, closed when disposed (never handed to another caller): for <c>LISTEN</c>.</summary>
    public async Task<NpgsqlConnection> OpenListeningAsync(CancellationToken cancellationToken)
    {
        await migrated.Value.WaitAsync(cancellationToken);
        return await listening.OpenConnectionAsync(cancellationToken);
    }

    public async Task<T> WriteAsync<T>(Func<DbConnection, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var connection = await OpenNpgsqlAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var result = await work(connection, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    // One statement commits by itself: no BEGIN and COMMIT round trips around it.
    public async Task<int> WriteStatementAsync(Func<DbConnection, DbCommand> statement, CancellationToken cancellationToken)
    {
        await using var connection = await OpenNpgsqlAsync(cancellationToken);
        await using var command = statement(connection);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await listening.DisposeAsync();
        await side.DisposeAsync();
        await dataSource.DisposeAsync();
    }

    private async Task MigrateAsync(IReadOnlyList<HubMigration> migrations, TimeProvider time, ILogger logger)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await MigrationRunner.ApplyAsync(connection, SqlDialect.PostgreSql, migrations, time, logger, CancellationToken.None);
    }
}
