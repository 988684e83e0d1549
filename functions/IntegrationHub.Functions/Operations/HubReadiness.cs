using System.Data.Common;
using IntegrationHub.Connectors;
using IntegrationHub.Functions.Security;
using IntegrationHub.Runtime.Store;

namespace IntegrationHub.Functions.Operations;

/// <summary>One part of readiness: whether it is ready, and a short reason when not (never a secret or a stack trace).</summary>
internal sealed record ReadinessCheck(string Name, bool Ready, string? Detail);

/// <summary>
/// Whether the hub can do its work: its store answers, its transport answers, not every national
/// or sector system's circuit is open, and it holds signing keys to check tokens with. Each check is
/// bounded in time.
/// </summary>
internal sealed class HubReadiness(IHubDatabase database, IQueueAdmin queues, IConnectorCircuits circuits, JwksKeySource keys, ILogger<HubReadiness> logger)
{
    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(3);

    public async Task<IReadOnlyList<ReadinessCheck>> CheckAsync(CancellationToken cancellationToken) =>
    [
        await CheckAsync("store", "the hub database does not answer", async token =>
        {
            await using var connection = await database.OpenAsync(token);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT 1";
            await command.ExecuteScalarAsync(token);
        }, cancellationToken),
        await CheckAsync("transport", "the queues do not answer", token => queues.GetStatisticsAsync(HubQueues.Intake, token), cancellationToken),
        Connectors(),
        await KeysAsync(cancellationToken),
    ];

    /// <summary>
    /// Not ready while no signing key could be read (every token would be refused); ready, saying
    /// since when, while the key set cannot be read but the keys read before are in force.
    /// </summary>
    private async Task<ReadinessCheck> KeysAsync(CancellationToken cancellationToken)
    {
        try
        {
            // Reads the set when there are no keys yet or a read is due; that read is bounded by Security:JwksTimeout, this wait by the check's.
            await keys.GetConfigurationAsync(CancellationToken.None).WaitAsync(CheckTimeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            // The read goes on; the state below is what holds now.
        }

        var (count, failingSince) = keys.State;
        if (count == 0)
        {
            return new ReadinessCheck("keys", false, failingSince is { } at
                ? $"no signing key could be read (failing since {Local(at)}): every token is refused"
                : "no signing key has been read yet: every token is refused");
        }

        return new ReadinessCheck("keys", true, failingSince is { } since ? $"the key set cannot be read since {Local(since)}; the keys read before are in force" : null);
    }

    private static string Local(DateTimeOffset instant) => Core.VietnamTime.ToLocal(instant).ToString("yyyy-MM-dd HH:mm:ss zzz", System.Globalization.CultureInfo.InvariantCulture);

    private ReadinessCheck Connectors()
    {
        var all = circuits.Current;
        var open = all.Where(c => c.State is CircuitStatus.Open or CircuitStatus.Isolated).Select(c => c.System).ToList();
        return all.Count > 0 && open.Count == all.Count
            ? new ReadinessCheck("connectors", false, $"every circuit is open: {string.Join(", ", open)}")
            : new ReadinessCheck("connectors", true, open.Count > 0 ? $"open: {string.Join(", ", open)}" : null);
    }

    private async Task<ReadinessCheck> CheckAsync(string name, string failure, Func<CancellationToken, Task> check, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CheckTimeout);
        try
        {
            await check(timeout.Token);
            return new ReadinessCheck(name, true, null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new ReadinessCheck(name, false, $"{failure} within {CheckTimeout.TotalSeconds:0} s");
        }
        catch (Exception ex) when (ex is DbException or IOException or InvalidOperationException or QueueException or System.Net.Sockets.SocketException or RabbitMQ.Client.Exceptions.RabbitMQClientException)
        {
            // The reason is logged for the operator; the anonymous answer names only the part.
            Log.NotReady(logger, name, ex);
            return new ReadinessCheck(name, false, failure);
        }
    }
}
