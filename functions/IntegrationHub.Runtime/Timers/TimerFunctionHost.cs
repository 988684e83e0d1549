using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Runtime.Timers;

/// <summary>
/// Runs every registered timer function on its schedule: waits for the next occurrence, takes the
/// lease, runs the function while renewing the lease, then writes the next occurrence (one schedule
/// after the one just run, or after now when occurrences were missed: they are not caught up).
/// </summary>
internal sealed class TimerFunctionHost(
    IEnumerable<TimerFunctionRegistration> registrations,
    TimerLeases leases,
    HubInstance instance,
    IOptions<MessagingOptions> options,
    IServiceScopeFactory scopes,
    TimeProvider time,
    ILogger<TimerFunctionHost> logger) : BackgroundService
{
    private static readonly TimeSpan RecheckInterval = TimeSpan.FromSeconds(15);
    private readonly TimeSpan leaseDuration = options.Value.TimerLeaseDuration;
    private readonly string owner = instance.Id;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(registrations.Select(r => Task.Run(() => RunTimerAsync(r, stoppingToken), stoppingToken)));

    private async Task RunTimerAsync(TimerFunctionRegistration timer, CancellationToken stoppingToken)
    {
        Log.TimerStarted(logger, timer.Name, timer.Schedule);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var (next, last) = await leases.ReadAsync(timer.Name, timer.Schedule, stoppingToken);
                var wait = next - time.GetUtcNow();
                if (wait > TimeSpan.Zero)
                {
                    // Another instance may move the occurrence, so look again now and then.
                    await Task.Delay(wait < RecheckInterval ? wait : RecheckInterval, time, stoppingToken);
                    continue;
                }

                if (await leases.TryAcquireAsync(timer.Name, owner, leaseDuration, stoppingToken) is { } run)
                {
                    await RunOccurrenceAsync(timer, run, next, last, stoppingToken);
                }
                else
                {
                    await Task.Delay(RecheckInterval < timer.Schedule ? RecheckInterval : timer.Schedule, time, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The database was unreachable; the timer goes on at its next look.
                Log.TimerLeaseFailed(logger, timer.Name, ex);
                await Task.Delay(RecheckInterval, time, stoppingToken);
            }
        }
    }

    private async Task RunOccurrenceAsync(TimerFunctionRegistration timer, long run, DateTimeOffset scheduledAt, DateTimeOffset? lastRunAt, CancellationToken stoppingToken)
    {
        using var holding = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var renewal = KeepLeaseAsync(timer.Name, run, holding);
        var succeeded = false;
        try
        {
            using var activity = Functions.RuntimeTelemetry.StartTimer(timer.Name);
            await using var scope = scopes.CreateAsyncScope();
            var function = (ITimerFunction)scope.ServiceProvider.GetRequiredService(timer.FunctionType);
            await function.RunAsync(new TimerFunctionContext(timer.Name, scheduledAt, lastRunAt), holding.Token);
            succeeded = true;
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            // A failed occurrence is logged; the timer keeps its schedule, as on Azure Functions.
            Log.TimerFailed(logger, timer.Name, ex);
        }
        finally
        {
            await holding.CancelAsync();
            await renewal;
        }

        stoppingToken.ThrowIfCancellationRequested();
        var next = scheduledAt + timer.Schedule;
        var now = time.GetUtcNow();
        await leases.ReleaseAsync(timer.Name, owner, run, succeeded, next > now ? next : now + timer.Schedule, stoppingToken);
    }

    private async Task KeepLeaseAsync(string name, long run, CancellationTokenSource holding)
    {
        try
        {
            while (true)
            {
                await Task.Delay(leaseDuration / 3, time, holding.Token);
                if (!await leases.RenewAsync(name, owner, run, leaseDuration, holding.Token))
                {
                    // Another instance took the timer over: stop this run.
                    await holding.CancelAsync();
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The occurrence ended.
        }
    }
}
