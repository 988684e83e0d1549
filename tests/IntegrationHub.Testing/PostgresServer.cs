using System.Diagnostics;
using Npgsql;

namespace IntegrationHub.Testing;

/// <summary>
/// The PostgreSQL server the tests of the <c>postgres</c> store use: <c>HUB_POSTGRES_CONNECTION</c>
/// (the test command starts one on loopback with <c>scripts/postgres</c> and sets it), by default the
/// one <c>scripts/postgres start</c> runs. Each test gets a schema of its own, a fresh hub store, by
/// naming it in the connection string's search path. One for a test assembly (an xUnit assembly
/// fixture), waited for when the assembly starts; a server that cannot be reached then fails the tests
/// that use it (at <see cref="ConnectionString"/>), with how to start one, and only them.
/// </summary>
public sealed class PostgresServer : LoopbackService
{
    public const string ConnectionVariable = "HUB_POSTGRES_CONNECTION";

    private readonly string connectionString =
        Environment.GetEnvironmentVariable(ConnectionVariable) is { Length: > 0 } value ? value : "Host=127.0.0.1;Port=55432;Username=hub;Password=hub;Database=hub";

    public string ConnectionString => WhenReachable(connectionString);

    /// <summary>Creates an empty schema and returns a connection string whose search path is that schema.</summary>
    public async Task<string> CreateStoreAsync()
    {
        var schema = $"test_{Guid.NewGuid():N}";
        await ExecuteAsync($"CREATE SCHEMA {schema}", ConnectionString);
        return new NpgsqlConnectionStringBuilder(ConnectionString) { SearchPath = schema }.ToString();
    }

    /// <summary>Drops a store made by <see cref="CreateStoreAsync"/>.</summary>
    public async Task DropStoreAsync(string connectionString)
    {
        var schema = new NpgsqlConnectionStringBuilder(connectionString).SearchPath;
        await ExecuteAsync($"DROP SCHEMA IF EXISTS {schema} CASCADE", ConnectionString);
    }

    private static async Task ExecuteAsync(string sql, string on)
    {
        await using var connection = new NpgsqlConnection(on);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public override async Task WaitUntilReachableAsync(TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await ExecuteAsync("SELECT 1", connectionString);
                Reached();
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
