using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;

namespace IntegrationHub.Runtime.RabbitMq;

/// <summary>
/// The process's two connections to the broker, one for publishing and one for consuming (so that
/// the broker's flow control on publishers never stalls acknowledgements), opened when first needed
/// and recovered by the client after a broker restart, consumers included.
/// </summary>
internal sealed class RabbitMqConnections(IOptions<MessagingOptions> options, ILogger<RabbitMqConnections> logger) : IAsyncDisposable
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly Dictionary<string, IConnection> open = new(StringComparer.Ordinal);

    public const string Publishing = "publish";
    public const string Consuming = "consume";

    public string Endpoint { get; } = SafeEndpoint(options.Value.RabbitMq.Uri);

    /// <summary>The connection for <paramref name="purpose"/>; throws when the broker cannot be reached now.</summary>
    public async Task<IConnection> GetAsync(string purpose, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (!open.TryGetValue(purpose, out var connection))
            {
                connection = await ConnectAsync(purpose, cancellationToken);
                open[purpose] = connection;
            }

            return connection;
        }
        finally
        {
            gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in open.Values)
        {
            await connection.DisposeAsync();
        }

        open.Clear();
        gate.Dispose();
    }

    private async Task<IConnection> ConnectAsync(string purpose, CancellationToken cancellationToken)
    {
        var settings = options.Value.RabbitMq;
        var factory = new ConnectionFactory
        {
            Uri = new Uri(settings.Uri!),
            AutomaticRecoveryEnabled = true,
            TopologyRecoveryEnabled = true,
            NetworkRecoveryInterval = settings.ReconnectInterval,
            ClientProvidedName = $"integration-hub:{purpose}:{Environment.ProcessId}",
        };
        var connection = await factory.CreateConnectionAsync(cancellationToken);
        connection.ConnectionShutdownAsync += (_, args) =>
        {
            if (args.Initiator != ShutdownInitiator.Application)
            {
                Log.RabbitConnectionLost(logger, purpose, args.ReplyText);
            }

            return Task.CompletedTask;
        };
        connection.RecoverySucceededAsync += (_, _) =>
        {
            Log.RabbitConnectionRecovered(logger, purpose);
            return Task.CompletedTask;
        };
        Log.RabbitConnected(logger, Endpoint, purpose);
        return connection;
    }

    /// <summary>The broker's host and port, without the credentials, for logs.</summary>
    private static string SafeEndpoint(string? uri) =>
        Uri.TryCreate(uri, UriKind.Absolute, out var parsed) ? $"{parsed.Host}:{(parsed.Port == -1 ? 5672 : parsed.Port)}" : "(no URI)";
}
