using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Diagnostics.Tracing.Etlx;

namespace IntegrationHub.Benchmarks;

/// <summary>
/// Reads a sampled thread-time trace and puts each sample in one part of the hub: the first part, in
/// the order below, that any frame of its stack belongs to (so JSON read by the schema check counts as
/// the schema check, and SQLite called by the group-commit writer as SQLite). A sample whose innermost
/// frame is a wait is a thread with nothing to do, or waiting on another: wall time, not CPU.
/// </summary>
internal static partial class TraceCategories
{
    private const string SampleProvider = "Microsoft-DotNETCore-SampleProfiler";

    private static readonly (string Part, Regex Frames)[] Parts =
    [
        ("schema checks (NJsonSchema and its Newtonsoft tree)", new("NJsonSchema|Newtonsoft|MessageSchemas|SchemaValid", RegexOptions.CultureInvariant)),
        ("logging", new(@"Microsoft\.Extensions\.Logging|LoggerMessage|IntegrationHub\.[A-Za-z.]*\.Log\.", RegexOptions.CultureInvariant)),
        ("SQLite (statements and commits, the disk flush included)", new(@"SQLitePCL|Microsoft\.Data\.Sqlite", RegexOptions.CultureInvariant)),
        ("JSON (System.Text.Json)", new(@"System\.Text\.Json", RegexOptions.CultureInvariant)),
        ("group-commit writer", new("HubWriter|HubStoreTransaction|SqliteHubStore|SqliteHubDatabase", RegexOptions.CultureInvariant)),
        ("RabbitMQ client", new(@"RabbitMQ\.Client", RegexOptions.CultureInvariant)),
        ("Npgsql", new("Npgsql", RegexOptions.CultureInvariant)),
        ("queue processor and transport", new(@"QueueProcessor|QueueFunctionHost|MessageReader|IntegrationHub\.Runtime\.Embedded|IntegrationHub\.Runtime\.RabbitMq|IntegrationHub\.Runtime\.Queues", RegexOptions.CultureInvariant)),
        ("timers", new("TimerFunctionHost|TimerLeases", RegexOptions.CultureInvariant)),
        ("flows (functions and their services, core rules)", new(@"IntegrationHub\.Functions|IntegrationHub\.Core", RegexOptions.CultureInvariant)),
        ("the benchmark's own code", new(@"IntegrationHub\.Benchmarks", RegexOptions.CultureInvariant)),
    ];

    [GeneratedRegex(@"System\.Threading\.(LowLevelLifoSemaphore|LowLevelMonitor|LowLevelSpinWaiter|Monitor\.|WaitHandle|WaitSubsystem|SemaphoreSlim\.Wait|ManualResetEventSlim\.Wait|Thread\.Sleep|PortableThreadPool\+WaitThread)|SocketAsyncEngine|WaitForSocketEvents|TimerQueue\.TimerThread|Interop\+Sys\.(Read|Poll)", RegexOptions.CultureInvariant)]
    private static partial Regex Wait();

    [GeneratedRegex(@"HubWriter\+<(LoopAsync|RunBatchAsync|RunOneAsync)", RegexOptions.CultureInvariant)]
    private static partial Regex WriterLoop();

    public static void Print(string nettrace)
    {
        var etlx = Path.ChangeExtension(nettrace, ".etlx");
        TraceLog.CreateFromEventPipeDataFile(nettrace, etlx);
        var samples = new Dictionary<string, long>(StringComparer.Ordinal);
        var managed = new Dictionary<string, long>(StringComparer.Ordinal);
        var writer = new Dictionary<string, long>(StringComparer.Ordinal);
        var perThread = new Dictionary<int, long>();
        double seconds;
        long total = 0;
        long waiting = 0;
        using (var log = new TraceLog(etlx))
        {
            foreach (var data in log.Events)
            {
                if (data.ProviderName != SampleProvider)
                {
                    continue;
                }

                var frames = new List<string>();
                for (var frame = data.CallStack(); frame is not null; frame = frame.Caller)
                {
                    frames.Add(frame.CodeAddress.FullMethodName is { Length: > 0 } method ? method : frame.CodeAddress.ModuleName ?? "?");
                }

                total++;
                perThread[data.ThreadID] = perThread.GetValueOrDefault(data.ThreadID) + 1;
                if (frames.FirstOrDefault(f => f != "?") is { } innermost && Wait().IsMatch(innermost))
                {
                    waiting++;
                    continue;
                }

                var part = Parts.FirstOrDefault(p => frames.Any(f => p.Frames.IsMatch(f))).Part ?? "other (runtime, thread pool, hosting)";
                samples[part] = samples.GetValueOrDefault(part) + 1;
                if (IsManaged(data.PayloadByName("Type")))
                {
                    managed[part] = managed.GetValueOrDefault(part) + 1;
                }

                if (frames.Any(f => WriterLoop().IsMatch(f)))
                {
                    writer[part] = writer.GetValueOrDefault(part) + 1;
                }
            }

            seconds = log.SessionDuration.TotalSeconds;
        }

        File.Delete(etlx);
        // A thread alive all along is sampled at every tick: that gives the samples per second.
        var rate = perThread.Count == 0 || seconds <= 0 ? 0 : perThread.Values.Max() / seconds;
        PrintParts(total, waiting, samples, managed);
        if (rate > 0)
        {
            var running = writer.Values.Sum() / rate;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  the group-commit writer's loop was on a thread for {running:0.00} s of the trace's {seconds:0.00} s ({rate:0} samples a second per thread); by part:"));
            foreach (var (part, count) in writer.OrderByDescending(s => s.Value))
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {count / rate,6:0.00} s {part}"));
            }
        }
    }

    private static void PrintParts(long total, long waiting, Dictionary<string, long> samples, Dictionary<string, long> managed)
    {
        var busy = total - waiting;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  thread samples: {total}, of which {waiting} ({Share(waiting, total)}) in a wait (idle threads, or waiting on another) and {busy} running or in native code; by part, the share of those and how much of the part's samples ran managed code (the rest: native code such as SQLite's, or the kernel):"));
        foreach (var (part, count) in samples.OrderByDescending(s => s.Value))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {Share(count, busy),6} {part} ({count} samples, {Share(managed.GetValueOrDefault(part), count)} in managed code)"));
        }
    }

    // The sample profiler's ThreadSample: 1 external (native code or the kernel), 2 managed.
    private static bool IsManaged(object? type) => type is not null && Convert.ToInt32(type, CultureInfo.InvariantCulture) == 2;

    private static string Share(long part, long whole) => whole == 0 ? "-" : string.Create(CultureInfo.InvariantCulture, $"{100.0 * part / whole:0.0}%");
}
