using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Functions.Operations;

/// <summary>A queue's counts at an instant.</summary>
internal sealed record QueueSample(DateTimeOffset At, QueueStatistics Statistics);

/// <summary>How a queue moved over the rate window, per minute; null until two samples span some time.</summary>
/// <param name="DeadLettered">Dead letters added per minute (replays taking them out are not subtracted).</param>
/// <param name="Backlog">Change of the messages waiting (active plus scheduled) per minute: positive while the backlog grows.</param>
/// <param name="WindowSeconds">The span the rates were measured over, in seconds.</param>
internal sealed record QueueRates(double DeadLettered, double Backlog, int WindowSeconds);

/// <summary>A queue as the operations API shows it: what it is for, its counts now, and its rates.</summary>
internal sealed record QueueView(string Name, string Kind, string? Department, string? DepartmentName, long Active, long Locked, long Scheduled, long DeadLettered, QueueRates? Rates);

/// <summary>
/// Samples every queue's counts on an interval and keeps a short history per queue, from which it
/// reads rates; the latest sample also feeds the operations metrics. This host's view only: on
/// RabbitMQ the locked counts are this host's locks.
/// </summary>
internal sealed class QueueMonitor(IQueueAdmin admin, Reloadable<ReferenceData> referenceData, OperationsMetrics metrics, IOptions<OperationsOptions> options, TimeProvider time, ILogger<QueueMonitor> logger) : BackgroundService
{
    /// <summary>How many queues' counts are read at once.</summary>
    private const int ReadsAtOnce = 8;

    private readonly ConcurrentDictionary<string, List<QueueSample>> history = new(StringComparer.Ordinal);

    /// <summary>Every queue with its counts read now and its rates from the samples.</summary>
    public async Task<IReadOnlyList<QueueView>> ReadAsync(CancellationToken cancellationToken)
    {
        var departments = referenceData.Current.Routing.Versions.SelectMany(v => v.Departments).Where(d => d.Queue is not null)
            .GroupBy(d => d.Queue!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);
        var views = new List<QueueView>();
        foreach (var (queue, s) in await StatisticsAsync(cancellationToken))
        {
            var department = departments.GetValueOrDefault(queue);
            views.Add(new QueueView(
                queue, department is null ? "hub" : "department", department?.Code, department?.Name,
                s.ActiveMessageCount, s.LockedMessageCount, s.ScheduledMessageCount, s.DeadLetterMessageCount, RatesOf(queue)));
        }

        return views;
    }

    public QueueRates? RatesOf(string queue)
    {
        if (!history.TryGetValue(queue, out var samples))
        {
            return null;
        }

        QueueSample[] copy;
        lock (samples)
        {
            copy = [.. samples];
        }

        if (copy.Length < 2 || copy[^1].At <= copy[0].At)
        {
            return null;
        }

        var minutes = (copy[^1].At - copy[0].At).TotalMinutes;
        var added = 0L;
        for (var i = 1; i < copy.Length; i++)
        {
            added += Math.Max(0, copy[i].Statistics.DeadLetterMessageCount - copy[i - 1].Statistics.DeadLetterMessageCount);
        }

        var backlog = Waiting(copy[^1]) - Waiting(copy[0]);
        return new QueueRates(Math.Round(added / minutes, 2), Math.Round(backlog / minutes, 2), (int)(copy[^1].At - copy[0].At).TotalSeconds);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SampleInterval, time);
        do
        {
            try
            {
                await SampleAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The store or broker is unreachable for now; the readiness check says so, the next sample tries again.
                Log.QueueSamplingFailed(logger, ex);
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task SampleAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var samples = new List<QueueSample>();
        foreach (var (queue, statistics) in await StatisticsAsync(cancellationToken))
        {
            var sample = new QueueSample(now, statistics);
            samples.Add(sample);
            var kept = history.GetOrAdd(queue, _ => []);
            lock (kept)
            {
                kept.Add(sample);
                kept.RemoveAll(s => s.At < now - options.Value.RateWindow);
            }
        }

        metrics.Sampled(samples);
    }

    /// <summary>
    /// Every queue's counts, in the order the queues are listed, read <see cref="ReadsAtOnce"/> at a
    /// time: on Service Bus each is a round trip to the namespace's administration endpoint, and one
    /// after another they kept the operations page waiting seconds for its overview.
    /// </summary>
    private async Task<(string Queue, QueueStatistics Statistics)[]> StatisticsAsync(CancellationToken cancellationToken)
    {
        var queues = await admin.ListQueuesAsync(cancellationToken);
        var read = new QueueStatistics[queues.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, queues.Count),
            new ParallelOptions { MaxDegreeOfParallelism = ReadsAtOnce, CancellationToken = cancellationToken },
            async (i, token) => read[i] = await admin.GetStatisticsAsync(queues[i], token));
        return [.. queues.Select((queue, i) => (queue, read[i]))];
    }

    private static long Waiting(QueueSample sample) => sample.Statistics.ActiveMessageCount + sample.Statistics.ScheduledMessageCount;
}
