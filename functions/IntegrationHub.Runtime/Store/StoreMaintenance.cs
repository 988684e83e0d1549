using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Runtime.Store;

/// <summary>
/// Migrates the hub database when the host starts (so that a bad migration stops it there), then
/// hourly removes duplicate-detection ids past their window and inbox records past retention.
/// </summary>
internal sealed class StoreMaintenance(
    SqliteHubDatabase database,
    HubWriter writer,
    IOptions<MessagingOptions> options,
    TimeProvider time,
    ILogger<StoreMaintenance> logger) : IHostedService, IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);
    private ITimer? timer;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await database.EnsureMigratedAsync(cancellationToken);
        timer = time.CreateTimer(_ => _ = PruneAsync(), null, Interval, Interval);
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        timer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        return Task.CompletedTask;
    }

    public void Dispose() => timer?.Dispose();

    internal async Task PruneAsync()
    {
        try
        {
            var (duplicates, inbox) = await writer.RunAsync(Prune, CancellationToken.None);
            Log.Pruned(logger, duplicates, inbox);
        }
        catch (SqliteException ex)
        {
            Log.PruneFailed(logger, ex);
        }
    }

    private (int Duplicates, int Inbox) Prune(SqliteConnection connection)
    {
        var now = time.GetUtcNow();
        using var duplicates = connection.Command("DELETE FROM hub_duplicate_detection WHERE expires_at <= $now;").With("$now", now.ToUnixMs());
        using var inbox = connection.Command("DELETE FROM hub_inbox WHERE processed_at <= $before;").With("$before", (now - options.Value.InboxRetention).ToUnixMs());
        return (duplicates.ExecuteNonQuery(), inbox.ExecuteNonQuery());
    }
}
