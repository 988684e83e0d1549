using System.Globalization;

namespace IntegrationHub.Benchmarks;

/// <summary>
/// dotnet-counters' CSV (one line per counter per second) summed up over the seconds in which the
/// hub's functions processed messages: the mean of each counter that says where CPU and time go.
/// </summary>
internal static class CountersSummary
{
    private const string Processed = "hub.function.messages.processed";

    private static readonly string[] Shown =
    [
        "dotnet.process.cpu.time",
        "dotnet.gc.heap.total_allocated",
        "dotnet.gc.collections",
        "dotnet.gc.pause.time",
        "dotnet.monitor.lock_contentions",
        "dotnet.thread_pool.work_item.count",
        "dotnet.thread_pool.thread.count",
        "dotnet.thread_pool.queue.length",
        "dotnet.timer.count",
        Processed,
        "hub.function.duration",
    ];

    public static void Print(string csv)
    {
        if (!File.Exists(csv))
        {
            Console.WriteLine($"  no counters were written ({csv})");
            return;
        }

        // Timestamp,Provider,Counter Name,Counter Type,Mean/Increment; a counter's name may hold commas
        // in its tags, so the value is the last field and the name what lies between.
        var rows = File.ReadLines(csv).Skip(1).Select(line =>
        {
            var fields = line.Split(',');
            return (Time: fields[0], Name: string.Join(',', fields[2..^2]), Value: double.Parse(fields[^1], CultureInfo.InvariantCulture));
        }).ToList();
        var busy = rows.Where(r => r.Name.StartsWith(Processed, StringComparison.Ordinal) && r.Value > 0).Select(r => r.Time).ToHashSet(StringComparer.Ordinal);
        Console.WriteLine($"  dotnet-counters, mean over the {busy.Count} seconds in which functions processed messages:");
        foreach (var counter in rows.Where(r => busy.Contains(r.Time) && Shown.Any(s => r.Name.StartsWith(s, StringComparison.Ordinal))).GroupBy(r => r.Name).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {counter.Key}: {counter.Average(r => r.Value):#,0.###}"));
        }
    }
}
