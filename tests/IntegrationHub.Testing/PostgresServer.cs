using System.Diagnostics;
using Npgsql;
using Xunit;

namespace IntegrationHub.Testing;

/// <summary>
/// The PostgreSQL server the tests of the <c>postgres</c> store use: <c>HUB_POSTGRES_CONNECTION</c>
/// (the test command starts one on loopback with <c>scripts/postgres</c> and sets it), by default the
/// one <c>scripts/postgres start</c> runs. Each test gets a schema of its own, a fresh hub store, by
/// naming it in the connection string's search path; a server that cannot be reached fails the tests
/// that need it, with how to start one.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    public const string ConnectionVariable = "HUB_POSTGRES_CONNECTION";

    public string ConnectionString { get; } =
        Environment.GetEnvironmentVariable(ConnectionVariable) is { Length: > 0 } value ? value : "Host=127.0.0.1;Port=55432;Username=hub;Password=hub;Database=hub";

    public async Task InitializeAsync() => await WaitUntilReachableAsync(TimeSpan.FromSeconds(30));

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>Creates an empty schema and returns a connection string whose search path is that schema.</summary>
    public async Task<string> CreateStoreAsync()
    {
        var schema = $"test_{Guid.NewGuid():N}";
        await ExecuteAsync($"CREATE SCHEMA {schema}");
        return new NpgsqlConnectionStringBuilder(ConnectionString) { SearchPath = schema }.ToString();
    }

    /// <summary>Drops a store made by <see cref="CreateStoreAsync"/>.</summary>
    public async Task DropStoreAsync(string connectionString)
    {
        var schema = new NpgsqlConnectionStringBuilder(connectionString).SearchPath;
        await ExecuteAsync($"DROP SCHEMA IF EXISTS {schema} CASCADE");
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private async Task WaitUntilReachableAsync(TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await ExecuteAsync("SELECT 1");
                return;
            }
            catch (NpgsqlException) when (watch.Elapsed < timeout)
            {
                await Task.Delay(200);
            }
            catch (NpgsqlException ex)
            {
                throw new InvalidOperationException(
                    $"PostgreSQL is not reachable ({ex.Message}). Start one with ./scripts/postgres start (./scripts/test does), or set {ConnectionVariable}.", ex);
            }
        }
    }
}
