using IntegrationHub.Core.Messaging;
using IntegrationHub.Runtime.Store;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Runtime.Tests;

/// <summary>A hub host as the function host builds it: configuration, AddMessaging, the test's functions, a clock.</summary>
public sealed class HubHost : IAsyncDisposable
{
    private readonly IHost host;

    private HubHost(IHost host) => this.host = host;

    public IServiceProvider Services => host.Services;

    public QueuePort Client => QueuePort.Of(Services);

    public IQueueAdmin Admin => Services.GetRequiredService<IQueueAdmin>();

    public IHubTransactions Transactions => Services.GetRequiredService<IHubTransactions>();

    public IHubDatabase Database => Services.GetRequiredService<IHubDatabase>();

    public static async Task<HubHost> StartAsync(IReadOnlyDictionary<string, string?> settings, TimeProvider clock, Action<IServiceCollection>? configure = null)
    {
        var host = Build(settings, clock, configure);
        await host.StartAsync();
        return new HubHost(host);
    }

    /// <summary>
    /// A hub built on the settings but not started: its store and queues can be used, nothing runs in
    /// the background, and it does not claim a SQLite store (a child process may run on it meanwhile).
    /// </summary>
    public static async Task<HubHost> OpenAsync(IReadOnlyDictionary<string, string?> settings, TimeProvider clock, Action<IServiceCollection>? configure = null)
    {
        var hub = new HubHost(Build(settings, clock, configure));
        await (await hub.Database.OpenAsync(CancellationToken.None)).DisposeAsync();
        return hub;
    }

    public static IHost Build(IReadOnlyDictionary<string, string?> settings, TimeProvider clock, Action<IServiceCollection>? configure = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = "Test" });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(10));
        builder.Services.AddSingleton(clock);
        builder.Services.AddMessaging(builder.Configuration);
        configure?.Invoke(builder.Services);
        return builder.Build();
    }

    /// <summary>Counts rows with a query on the hub database.</summary>
    public async Task<long> ScalarAsync(string sql)
    {
        await using var connection = await Database.OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Whether the hub database has a table of that name (in its schema, on PostgreSQL).</summary>
    public async Task<bool> TableExistsAsync(string name) => await ScalarAsync(Database.Dialect == SqlDialect.Sqlite
        ? $"SELECT COUNT(*) FROM sqlite_master WHERE name = '{name}'"
        : $"SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = '{name}'") == 1;

    public async Task StopAsync() => await host.StopAsync();

    public async ValueTask DisposeAsync()
    {
        await host.StopAsync();
        await ((IAsyncDisposable)host).DisposeAsync();
    }
}
