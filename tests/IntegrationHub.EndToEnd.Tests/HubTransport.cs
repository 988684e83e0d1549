namespace IntegrationHub.EndToEnd.Tests;

/// <summary>
/// The queue transport and store an end-to-end hub runs on, as a parameter of its set-up
/// (<see cref="TestHub.Start"/>, or the settings of a hub process): the embedded transport on SQLite
/// (nothing to start), or the servicebus transport on a Service Bus double of the test's own (in this
/// process, on the system clock, so that it outlives a hub process that is killed) with the SQLite
/// store or a PostgreSQL store of the test's own.
/// </summary>
public sealed class HubTransport : IAsyncDisposable
{
    public const string Embedded = "embedded";
    public const string ServiceBus = "servicebus";

    private readonly PostgresServer? postgres;
    private readonly string? store;

    private HubTransport(ServiceBusNamespace? serviceBus, PostgresServer? postgres, string? store)
    {
        Namespace = serviceBus;
        this.postgres = postgres;
        this.store = store;
    }

    /// <summary>The Service Bus namespace, on the servicebus transport.</summary>
    public ServiceBusNamespace? Namespace { get; }

    /// <summary>
    /// Starts what <paramref name="transport"/> (<c>embedded</c> or <c>servicebus</c>) needs, with a
    /// PostgreSQL store of its own when <paramref name="postgres"/> is given.
    /// </summary>
    public static async Task<HubTransport> StartAsync(string transport, PostgresServer? postgres = null)
    {
        var serviceBus = transport switch
        {
            Embedded => null,
            ServiceBus => await ServiceBusNamespace.StartAsync(),
            _ => throw new ArgumentOutOfRangeException(nameof(transport), transport, "embedded or servicebus"),
        };
        return new HubTransport(serviceBus, postgres, postgres is null ? null : await postgres.CreateStoreAsync());
    }

    /// <summary>Puts the transport's and the store's settings into a hub's.</summary>
    public void Apply(Dictionary<string, string?> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        foreach (var (key, value) in Namespace?.Settings() ?? [])
        {
            settings[key] = value;
        }

        if (store is not null)
        {
            settings["Messaging:Store"] = "postgres";
            settings["Messaging:PostgreSql:ConnectionString"] = store;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Namespace is not null)
        {
            await Namespace.DisposeAsync();
        }

        if (store is not null)
        {
            await postgres!.DropStoreAsync(store);
        }
    }
}
