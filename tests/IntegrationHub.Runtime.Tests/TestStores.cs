using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Runtime.Tests;

/// <summary>Tests that start hub hosts on one fresh store (each test its own), stopped and removed with the test.</summary>
public abstract class TestsOnAStore(ITestStore store) : IAsyncLifetime
{
    private readonly List<HubHost> hosts = [];

    /// <summary>The store the test runs on.</summary>
    protected ITestStore Store => store;

    /// <summary>The hosts started so far, in order.</summary>
    protected IReadOnlyList<HubHost> Hosts => hosts;

    public async ValueTask InitializeAsync() => await store.CreateAsync();

    public async ValueTask DisposeAsync()
    {
        foreach (var host in hosts)
        {
            await host.DisposeAsync();
        }

        await store.DisposeAsync();
    }

    /// <summary>Starts another host (another hub instance) on the store.</summary>
    protected async Task<HubHost> StartHostAsync(TimeProvider clock, Action<IServiceCollection> configure)
    {
        var host = await HubHost.StartAsync(store.Settings(), clock, configure);
        hosts.Add(host);
        return host;
    }
}

/// <summary>A hub store a test runs on, fresh for the test: its settings, and its removal afterwards.</summary>
public interface ITestStore : IAsyncDisposable
{
    /// <summary>Makes the empty store.</summary>
    Task CreateAsync();

    /// <summary>The <c>Messaging</c> settings that put a hub on it (the store, and the transport it needs).</summary>
    Dictionary<string, string?> Settings();
}

/// <summary>A SQLite hub database in a folder of the test's own.</summary>
public sealed class SqliteTestStore : ITestStore
{
    private readonly string folder = Directory.CreateTempSubdirectory("hub-store-").FullName;

    public Task CreateAsync() => Task.CompletedTask;

    public Dictionary<string, string?> Settings() => new() { ["Messaging:DatabasePath"] = Path.Combine(folder, "hub.db") };

    public ValueTask DisposeAsync()
    {
        Directory.Delete(folder, recursive: true);
        return ValueTask.CompletedTask;
    }
}

/// <summary>A PostgreSQL hub store in a schema of the test's own, with the RabbitMQ transport it needs.</summary>
public sealed class PostgresTestStore(PostgresServer postgres, RabbitMqBroker broker) : ITestStore
{
    public string ConnectionString { get; private set; } = "";

    public async Task CreateAsync() => ConnectionString = await postgres.CreateStoreAsync();

    public Dictionary<string, string?> Settings() => new()
    {
        ["Messaging:Store"] = "postgres",
        ["Messaging:PostgreSql:ConnectionString"] = ConnectionString,
        ["Messaging:Transport"] = "rabbitmq",
        ["Messaging:RabbitMq:Uri"] = broker.Uri.ToString(),
        ["Messaging:RabbitMq:ReconnectInterval"] = "00:00:01",
    };

    /// <summary>The settings, with <paramref name="options"/> (e.g. <c>Maximum Pool Size=3</c>) added to the connection string.</summary>
    public Dictionary<string, string?> Settings(string options)
    {
        var settings = Settings();
        settings["Messaging:PostgreSql:ConnectionString"] = $"{ConnectionString};{options}";
        return settings;
    }

    public async ValueTask DisposeAsync() => await postgres.DropStoreAsync(ConnectionString);
}
