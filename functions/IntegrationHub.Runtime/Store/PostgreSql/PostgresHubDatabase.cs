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
    private readonly NpgsqlDataSource dataSource;
    private readonly NpgsqlDataSource listening;
    private readonly Lazy<Task> migrated;

    public PostgresHubDatabase(IOptions<MessagingOptions> options, IEnumerable<HubMigration> migrations, TimeProvider time, ILogger<PostgresHubDatabase> logger)
    {
        var builder = new NpgsqlDataSourceBuilder(options.Value.PostgreSql.ConnectionString);
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
        if (!OperatorSets(options.Value.PostgreSql.ConnectionString, "Max Auto Prepare"))
        {
            builder.ConnectionStringBuilder.MaxAutoPrepare = 64;
            builder.ConnectionStringBuilder.AutoPrepareMinUsages = 2;
        }

        dataSource = builder.Build();
        listening = new NpgsqlDataSourceBuilder(builder.ConnectionString) { ConnectionStringBuilder = { Pooling = false } }.Build();
        var all = migrations.ToList();
        migrated = new Lazy<Task>(() => Task.Run(() => MigrateAsync(all, time, logger)));
    }

    public SqlDialect Dialect => SqlDialect.PostgreSql;

    /// <summary>Whether the connection string as given names <paramref name="keyword"/> (Npgsql's own builder knows every keyword).</summary>
    private static bool OperatorSets(string? connectionString, string keyword) =>
        new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString }.Keys.Cast<string>()
            .Any(key => string.Equals(key.Replace(" ", "", StringComparison.Ordinal), keyword.Replace(" ", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase));

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
        await dataSource.DisposeAsync();
    }

    private async Task MigrateAsync(IReadOnlyList<HubMigration> migrations, TimeProvider time, ILogger logger)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await MigrationRunner.ApplyAsync(connection, SqlDialect.PostgreSql, migrations, time, logger, CancellationToken.None);
    }
}
