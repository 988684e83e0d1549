using IntegrationHub.Runtime.Timers;

namespace IntegrationHub.Functions.Status;

/// <summary>Raises near-due and overdue alerts, on one hub instance at a time.</summary>
internal sealed class WatchDeadlinesOnTimer(DeadlineWatch watch) : ITimerFunction
{
    public const string Name = "watch-deadlines";

    public Task RunAsync(TimerFunctionContext context, CancellationToken cancellationToken) => watch.CheckAsync(cancellationToken);
}
