using System.Collections.Concurrent;
using IntegrationHub.Core.Operations;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Functions.Operations;

/// <summary>
/// Runs the replay jobs: claims each running job no host holds (a restarted host resumes its own, a
/// surviving host one whose host died once its lease ran out), replays its pending items in order,
/// never starting two within less than 1/maxPerSecond of each other, records each outcome, and lets
/// the job go when the host stops. An item whose dead letter is gone is recorded as not found.
/// </summary>
internal sealed class ReplayJobRunner(
    IReplayJobs jobs,
    ReplayItemRunner items,
    ReplayJobOwner self,
    ReplayJobSignal signal,
    IOptions<OperationsOptions> options,
    TimeProvider time,
    ILogger<ReplayJobRunner> logger) : BackgroundService
{
    private const int Batch = 100;
    private readonly string owner = self.Id;
    private readonly ConcurrentDictionary<string, Task> running = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            var woken = signal.NextAsync();
            try
            {
                foreach (var id in await jobs.UnclaimedAsync(time.GetUtcNow(), stoppingToken))
                {
                    if (!running.ContainsKey(id) && await jobs.TryClaimAsync(id, owner, time.GetUtcNow(), time.GetUtcNow() + options.Value.JobLease, stoppingToken))
                    {
                        running[id] = Task.Run(() => RunAsync(id, stoppingToken), CancellationToken.None);
                    }
                }

                await woken.WaitAsync(options.Value.JobLease / 2, time, stoppingToken);
            }
            catch (TimeoutException)
            {
                // Look again: a job whose host died may be free now.
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The store is unreachable for now; look again at the next wake or after a while.
                Log.ReplayRunnerFailed(logger, ex);
                failures++;
            }

            if (failures > 0 && !await PauseAsync(stoppingToken))
            {
                break;
            }

            failures = 0;
        }

        await Task.WhenAll(running.Values);
    }

    private async Task<bool> PauseAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(5), time, stoppingToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task RunAsync(string id, CancellationToken stoppingToken)
    {
        using var run = signal.Run(id, stoppingToken);
        try
        {
            var job = await jobs.GetAsync(id, run.Token);
            if (job is null)
            {
                return;
            }

            Log.ReplayJobResumed(logger, id, job.Counts.GetValueOrDefault(ReplayItemState.Pending));
            if (await ReplayPendingAsync(job, run.Token))
            {
                await jobs.CompleteAsync(id, time.GetUtcNow(), CancellationToken.None);
                var done = await jobs.GetAsync(id, CancellationToken.None);
                Log.ReplayJobCompleted(logger, id, done?.Counts.GetValueOrDefault(ReplayItemState.Replayed) ?? 0, done?.Counts.GetValueOrDefault(ReplayItemState.NotFound) ?? 0, done?.Counts.GetValueOrDefault(ReplayItemState.Failed) ?? 0);
            }
        }
        catch (OperationCanceledException) when (run.Token.IsCancellationRequested)
        {
            // Cancelled by an operator, or the host is stopping: what is pending stays pending.
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The store or the transport failed: let go of the job so that a host picks it up again.
            Log.ReplayRunnerFailed(logger, ex);
        }
        finally
        {
            await jobs.ReleaseAsync(id, owner, CancellationToken.None);
            running.TryRemove(id, out _);
            if (!stoppingToken.IsCancellationRequested)
            {
                signal.Wake();
            }
        }
    }

    /// <summary>Replays the job's pending items; false when the job stopped being this host's (cancelled, or taken over).</summary>
    private async Task<bool> ReplayPendingAsync(ReplayJob job, CancellationToken cancellationToken)
    {
        // Whole milliseconds, as the store records times: the recorded starts are never closer than the rate allows.
        var interval = TimeSpan.FromMilliseconds(Math.Ceiling(1000.0 / job.MaxPerSecond));
        var nextStart = time.GetUtcNow();
        var claimedAt = time.GetUtcNow();
        var from = 0;
        while (true)
        {
            var pending = await jobs.ItemsAsync(job.Id, from, Batch, pendingOnly: true, cancellationToken);
            if (pending.Count == 0)
            {
                return true;
            }

            foreach (var item in pending)
            {
                cancellationToken.ThrowIfCancellationRequested();
                // A timer may fire a little before the wall clock reaches its due time: wait until it has.
                TimeSpan wait;
                while ((wait = nextStart - time.GetUtcNow()) > TimeSpan.Zero)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(Math.Ceiling(wait.TotalMilliseconds)), time, cancellationToken);
                }

                var now = time.GetUtcNow();
                var started = now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMillisecond));
                if (started - claimedAt >= options.Value.JobLease / 3)
                {
                    if (!await jobs.TryClaimAsync(job.Id, owner, started, started + options.Value.JobLease, cancellationToken))
                    {
                        return false;
                    }

                    claimedAt = started;
                }

                await items.ReplayAsync(job, item, started);
                nextStart = started + interval;
                from = item.Position + 1;
            }
        }
    }
}
