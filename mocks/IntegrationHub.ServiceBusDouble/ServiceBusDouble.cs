using System.Collections.Concurrent;
using IntegrationHub.ServiceBusDouble.Amqp;
using IntegrationHub.ServiceBusDouble.Broker;
using IntegrationHub.ServiceBusDouble.Hosting;
using IntegrationHub.ServiceBusDouble.Http;
using IntegrationHub.ServiceBusDouble.Logging;
using Microsoft.Azure.Amqp;
using Microsoft.Azure.Amqp.Framing;
using Microsoft.Azure.Amqp.Sasl;
using Microsoft.Azure.Amqp.Transport;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.ServiceBusDouble;

/// <summary>
/// A test double of an Azure Service Bus namespace, serving the AMQP protocol of
/// <c>ServiceBusClient</c> and the ATOM/XML endpoints of <c>ServiceBusAdministrationClient</c> on one
/// loopback port. Reach it with <see cref="ConnectionString"/>, as a client reaches a namespace.
/// </summary>
public sealed class ServiceBusDouble : IAsyncDisposable
{
    readonly ServiceBusDoubleOptions options;
    readonly ILogger logger;
    readonly DoubleNamespace ns;
    readonly FrameLog frames;
    readonly DoubleRuntimeProvider provider;
    readonly SharedPortListener port;
    readonly AmqpTransportListener listener;
    readonly AmqpSettings settings;
    readonly ConcurrentDictionary<AmqpConnection, bool> connections = new();

    ServiceBusDouble(ServiceBusDoubleOptions options)
    {
        this.options = options;
        logger = options.LoggerFactory.CreateLogger("IntegrationHub.ServiceBusDouble");
        ns = new DoubleNamespace(options.TimeProvider);
        frames = new FrameLog(options.LoggerFactory.CreateLogger("IntegrationHub.ServiceBusDouble.Frames"), options.TimeProvider, options.FrameLogPath);

        // Signatures are made by the SDK on the wall clock, so their expiry is checked against it.
        var validator = new SasTokenValidator(options.KeyName, options.Key, TimeProvider.System);
        var claims = new ConnectionClaims();
        var router = new LinkRouter(ns, new CbsNode(validator, claims, frames), new ManagementNode(frames), claims, frames);
        provider = new DoubleRuntimeProvider(router, frames);
        var admin = new AdminHttpServer(new AdminApi(ns, validator, name => Log.QueueDeclared(logger, name)), frames, logger);
        port = new SharedPortListener(options.Port, admin.ServeAsync);

        settings = new AmqpSettings { RuntimeProvider = provider };
        var sasl = new SaslTransportProvider();
        sasl.Versions.Add(new AmqpVersion(1, 0, 0));
        sasl.AddHandler(new SaslAnonymousHandler("MSSBCBS"));
        settings.TransportProviders.Add(sasl);
        var amqp = new AmqpTransportProvider();
        amqp.Versions.Add(new AmqpVersion(1, 0, 0));
        settings.TransportProviders.Add(amqp);
        listener = new AmqpTransportListener([port], settings);
    }

    /// <summary>The loopback port the double listens on, for AMQP and HTTP alike.</summary>
    public int Port => port.Port;

    /// <summary>
    /// <c>Endpoint=sb://127.0.0.1:PORT;SharedAccessKeyName=…;SharedAccessKey=…;UseDevelopmentEmulator=true</c>:
    /// the flag makes both SDK clients use plain AMQP and plain HTTP on the endpoint's port.
    /// </summary>
    public string ConnectionString =>
        $"Endpoint=sb://127.0.0.1:{Port};SharedAccessKeyName={options.KeyName};SharedAccessKey={options.Key};UseDevelopmentEmulator=true";

    /// <summary>Starts a double listening on 127.0.0.1 with the options' queues declared.</summary>
    public static Task<ServiceBusDouble> StartAsync(ServiceBusDoubleOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        cancellationToken.ThrowIfCancellationRequested();
        var started = new ServiceBusDouble(options);
        if (options.SnapshotPath is not null)
        {
            int count = NamespaceSnapshot.Load(started.ns, options.SnapshotPath);
            Log.Snapshot(started.logger, count, "loaded from", options.SnapshotPath);
        }

        foreach (string queue in options.Queues)
        {
            started.DeclareQueue(queue);
        }

        started.listener.Listen(started.OnAcceptTransport);
        Log.Listening(started.logger, started.Port);
        return Task.FromResult(started);
    }

    /// <summary>Creates the queue, or gives an existing one these settings (names are case-insensitive).</summary>
    public void DeclareQueue(string name, QueueSettings? settings = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        settings ??= new QueueSettings();
        if (settings.Validate() is { } invalid)
        {
            throw new ArgumentException(invalid, nameof(settings));
        }

        if (!ns.TryCreate(name, settings, out DoubleQueue queue))
        {
            queue.Update(settings);
        }

        Log.QueueDeclared(logger, name);
    }

    /// <summary>The frame log so far: one line per frame and per event the double acted on.</summary>
    public IReadOnlyList<string> FrameLog() => frames.Lines();

    /// <summary>Stops listening, closes every connection, and saves the snapshot when one is configured.</summary>
    public ValueTask DisposeAsync()
    {
        listener.Close();
        foreach (AmqpConnection connection in connections.Keys)
        {
            connection.SafeClose();
        }

        if (options.SnapshotPath is not null)
        {
            int count = NamespaceSnapshot.Save(ns, options.SnapshotPath);
            Log.Snapshot(logger, count, "saved to", options.SnapshotPath);
        }

        ns.Dispose();
        frames.Dispose();
        return ValueTask.CompletedTask;
    }

    void OnAcceptTransport(TransportListener source, TransportAsyncCallbackArgs args)
    {
        var connectionSettings = new AmqpConnectionSettings
        {
            ContainerId = "servicebus-double",
            MaxFrameSize = 65536,
            IdleTimeOut = 4 * 60 * 1000,
        };
        AmqpConnection? connection = null;
        try
        {
            connection = provider.CreateConnection(args.Transport, (ProtocolHeader)args.UserToken, false, settings, connectionSettings);
            connections[connection] = true;
            connection.Closed += (sender, _) => connections.TryRemove((AmqpConnection)sender!, out bool _);
            frames.Note(connection, $"connection from {args.Transport.RemoteEndPoint} (SASL MSSBCBS)");
            connection.BeginOpen(AmqpConstants.DefaultTimeout, OnConnectionOpened, connection);
        }
        catch (Exception exception) when (exception is AmqpException or InvalidOperationException or ObjectDisposedException)
        {
            Log.ConnectionFailed(logger, exception);
            connection?.SafeClose(exception);
        }
    }

    void OnConnectionOpened(IAsyncResult result)
    {
        var connection = (AmqpConnection)result.AsyncState!;
        try
        {
            connection.EndOpen(result);
        }
        catch (Exception exception) when (exception is AmqpException or TimeoutException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            Log.ConnectionFailed(logger, exception);
            connection.SafeClose(exception);
        }
    }
}
