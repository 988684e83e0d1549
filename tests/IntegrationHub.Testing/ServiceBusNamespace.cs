using IntegrationHub.ServiceBusDouble;

namespace IntegrationHub.Testing;

/// <summary>
/// An Azure Service Bus namespace for a test: the Service Bus double (mocks/IntegrationHub.ServiceBusDouble)
/// in this process on a loopback port, on the clock the test gives (the system clock unless it moves
/// time itself), reached by its connection string as a hub reaches a namespace. It keeps a snapshot,
/// so that <see cref="RestartAsync"/> stops it cleanly and starts it again on the same port with its
/// queues and messages, as a broker restarts.
/// </summary>
public sealed class ServiceBusNamespace : IAsyncDisposable
{
    private readonly string folder;
    private readonly TimeProvider clock;
    private ServiceBusDouble.ServiceBusDouble serviceBus;

    private ServiceBusNamespace(string folder, TimeProvider clock, ServiceBusDouble.ServiceBusDouble serviceBus)
    {
        this.folder = folder;
        this.clock = clock;
        this.serviceBus = serviceBus;
    }

    /// <summary><c>Endpoint=sb://127.0.0.1:PORT;…;UseDevelopmentEmulator=true</c>.</summary>
    public string ConnectionString => serviceBus.ConnectionString;

    /// <summary>The hub's settings for the <c>servicebus</c> transport on this namespace.</summary>
    public Dictionary<string, string?> Settings() => new()
    {
        ["Messaging:Transport"] = "servicebus",
        ["Messaging:ServiceBus:ConnectionString"] = ConnectionString,
    };

    /// <summary>Starts a namespace on a free loopback port.</summary>
    public static async Task<ServiceBusNamespace> StartAsync(TimeProvider? clock = null)
    {
        var time = clock ?? TimeProvider.System;
        var folder = Directory.CreateTempSubdirectory("hub-servicebus-").FullName;
        return new ServiceBusNamespace(folder, time, await ServiceBusDouble.ServiceBusDouble.StartAsync(Options(folder, time, port: 0)));
    }

    /// <summary>Stops the namespace cleanly (its messages saved) and starts it again on the same port with them.</summary>
    public async Task RestartAsync()
    {
        var port = serviceBus.Port;
        await serviceBus.DisposeAsync();
        serviceBus = await ServiceBusDouble.ServiceBusDouble.StartAsync(Options(folder, clock, port));
    }

    /// <summary>What the double logged of the frames it read and wrote, and of what it did.</summary>
    public IReadOnlyList<string> FrameLog() => serviceBus.FrameLog();

    public async ValueTask DisposeAsync()
    {
        await serviceBus.DisposeAsync();
        Directory.Delete(folder, recursive: true);
    }

    private static ServiceBusDoubleOptions Options(string folder, TimeProvider clock, int port) => new()
    {
        Port = port,
        TimeProvider = clock,
        SnapshotPath = Path.Combine(folder, "namespace.json"),
    };
}
