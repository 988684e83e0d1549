using System.Diagnostics.Metrics;
using IntegrationHub.Core.Operations;

namespace IntegrationHub.Functions.Operations;

/// <summary>
/// The <c>IntegrationHub.Operations</c> meter: messages per queue and state as last sampled (for
/// alerts on dead letters and backlogs) and replays by outcome.
/// </summary>
internal sealed class OperationsMetrics
{
    public const string MeterName = "IntegrationHub.Operations";

    private readonly Counter<long> replays;
    private IReadOnlyList<QueueSample> latest = [];

    public OperationsMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        replays = meter.CreateCounter<long>("hub.ops.replays", "{message}", "Dead letters a replay job tried, by queue and outcome.");
        meter.CreateObservableGauge("hub.queue.messages", Observe, "{message}", "Messages per queue and state (active, locked, scheduled, dead_lettered), as last sampled.");
    }

    public void Replayed(string queue, ReplayItemState outcome) =>
        replays.Add(1, new("queue", queue), new("outcome", outcome.ToString().ToLowerInvariant()));

    public void Sampled(IReadOnlyList<QueueSample> samples) => Volatile.Write(ref latest, samples);

    private IEnumerable<Measurement<long>> Observe()
    {
        foreach (var sample in Volatile.Read(ref latest))
        {
            var s = sample.Statistics;
            yield return new(s.ActiveMessageCount, new("queue", s.Queue), new("state", "active"));
            yield return new(s.LockedMessageCount, new("queue", s.Queue), new("state", "locked"));
            yield return new(s.ScheduledMessageCount, new("queue", s.Queue), new("state", "scheduled"));
            yield return new(s.DeadLetterMessageCount, new("queue", s.Queue), new("state", "dead_lettered"));
        }
    }
}
