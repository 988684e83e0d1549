using System.Data.Common;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Runtime.Store;

/// <summary>
/// Readies the hub store for this instance when the host starts (so that a bad migration, or a store
/// another instance holds, stops it there), then hourly removes duplicate-detection ids past their
/// window, inbox records and timer runs past retention, settled pulls past the window, and Service
/// Bus pulls whose locks ran out.
/// </summary>
internal sealed class StoreMaintenance(
    IHubStore store,
    HubInstance instance,
    IOptions<MessagingOptions> options,
    TimeProvider time,
    ILogger<StoreMaintenance> logger) : IHostedService, IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);
    private ITimer? timer;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await store.StartInstanceAsync(cancellationToken);
        Log.InstanceStarted(logger, instance.Id, options.Value.Store, options.Value.Transport);
        timer = time.CreateTimer(_ => _ = PruneAsync(), null, Interval, Interval);
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        timer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        store.StopInstance();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        timer?.Dispose();
        store.StopInstance();
    }

    internal async Task PruneAsync()
    {
        try
        {
            var (duplicates, inbox) = await store.WriteAsync(PruneAsync, CancellationToken.None);
            Log.Pruned(logger, duplicates, inbox);
        }
        catch (DbException ex)
        {
            Log.PruneFailed(logger, ex);
        }
    }

    private async Task<(int Duplicates, int Inbox)> PruneAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var retained = (now - options.Value.InboxRetention).Ms();
        await using var duplicates = connection.Command("DELETE FROM hub_duplicate_detection WHERE expires_at <= @now").Param("@now", now.Ms());
        await using var inbox = connection.Command("DELETE FROM hub_inbox WHERE processed_at <= @before").Param("@before", retained);
        await using var runs = connection.Command("DELETE FROM hub_timer_runs WHERE started_at <= @before").Param("@before", retained);
        await using var settled = connection.Command("DELETE FROM hub_held_messages WHERE settled_at <= @before")
            .Param("@before", (now - options.Value.DuplicateDetectionWindow).Ms());
        await using var pulls = connection.Command("DELETE FROM hub_servicebus_pulls WHERE locked_until <= @now").Param("@now", now.Ms());
        var removed = (await duplicates.ExecuteNonQueryAsync(cancellationToken), await inbox.ExecuteNonQueryAsync(cancellationToken));
        await runs.ExecuteNonQueryAsync(cancellationToken);
        await settled.ExecuteNonQueryAsync(cancellationToken);
        await pulls.ExecuteNonQueryAsync(cancellationToken);
        return removed;
    }
}
