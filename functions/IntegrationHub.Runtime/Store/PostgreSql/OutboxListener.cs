using IntegrationHub.Runtime.RabbitMq;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace IntegrationHub.Runtime.Store.PostgreSql;

/// <summary>
/// On the PostgreSQL store, wakes this instance's outbox relay when another instance commits messages to
/// the outbox: such commits notify <see cref="Channel"/> (<see cref="PostgresHubTransaction"/>; one every
/// <see cref="OutboxNotices.Interval"/> per instance at most, see <see cref="OutboxNotices"/>), and this
/// instance listens on a connection of its own, outside the pool. A notification carries the store's schema,
/// so that hubs kept in different schemas of one database do not wake each other. Polling every
/// <c>PollInterval</c> stays the fallback: for scheduled and delayed rows, and while the listening connection is down.
/// </summary>
internal sealed class OutboxListener(
    IServiceProvider services,
    IOptions<MessagingOptions> options,
    OutboxRelay relay,
    TimeProvider time,
    ILogger<OutboxListener> logger) : BackgroundService
{
    /// <summary>The notification channel of outbox commits.</summary>
    public const string Channel = "hub_outbox";

    /// <summary>
    /// The statement a transaction that wrote to the outbox sends before its commit (delivered at the commit,
    /// once per transaction), naming the store's schema.
    /// </summary>
    public const string NotifySql = "SELECT pg_notify('" + Channel + "', " + SchemaSql + ")";

    /// <summary>The store's schema, as the search path of the connection finds it.</summary>
    public const string SchemaSql = "coalesce(current_schema(), '')";

    private static readonly TimeSpan ListenAgainAfter = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (settings.Store != MessagingOptions.PostgresStore || settings.Transport is not (MessagingOptions.RabbitMqTransport or MessagingOptions.ServiceBusTransport))
        {
            return;
        }

        var database = services.GetRequiredService<PostgresHubDatabase>();
        try
        {
            while (true)
            {
                try
                {
                    await ListenAsync(database, stoppingToken);
                }
                catch (Exception ex) when (ex is NpgsqlException or IOException or TimeoutException)
                {
                    // The database restarting or unreachable: the relay polls meanwhile.
                    Log.OutboxListenFailed(logger, ListenAgainAfter, ex);
                }

                await Task.Delay(ListenAgainAfter, time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping.
        }
    }

    private async Task ListenAsync(PostgresHubDatabase database, CancellationToken stoppingToken)
    {
        await using var connection = await database.OpenListeningAsync(stoppingToken);
        await using var read = connection.Command($"SELECT {SchemaSql}");
        var schema = (string?)await read.ExecuteScalarAsync(stoppingToken);
        connection.Notification += (_, notification) =>
        {
            if (notification.Payload == schema)
            {
                relay.Notify();
            }
        };
        await connection.ExecuteAsync($"LISTEN {Channel}", stoppingToken);
        // Rows committed while nobody listened are found now, not at the next poll.
        relay.Notify();
        while (true)
        {
            await connection.WaitAsync(stoppingToken);
        }
    }
}
