using System.Diagnostics;
using System.Globalization;

namespace IntegrationHub.Benchmarks;

/// <summary>
/// <c>scripts/bench --trace &lt;scenario&gt;</c>: one round of a scenario's hub side, after its warm-up,
/// recorded by dotnet-trace (sampled thread time: where the hub's threads spend wall time) and
/// dotnet-counters (CPU, GC, allocations, thread pool, lock contention and the hub's own meters, every
/// second), both run from the repository's tool manifest. The trace is then read back: each sample is
/// put in one part of the hub (see <see cref="TraceCategories"/>), and dotnet-trace's own report lists
/// the methods that were on the stack longest.
/// </summary>
internal static class Tracing
{
    private const string Counters = "System.Runtime,Microsoft-AspNetCore-Server-Kestrel,IntegrationHub.Runtime";

    public static async Task<int> RunAsync(Scenario scenario, BenchmarkSettings settings)
    {
        var build = settings.Builds[0];
        var folder = Path.Combine(RepoRoot(), ".hub", "bench", Invariant($"trace-{scenario.Name}-{TimeProvider.System.GetLocalNow():yyyyMMdd-HHmmss}"));
        Directory.CreateDirectory(folder);
        var count = scenario.Name.StartsWith("e2e", StringComparison.Ordinal) ? settings.Dossiers : settings.Messages;
        var unit = scenario.Name.StartsWith("e2e", StringComparison.Ordinal) ? "dossiers" : "messages";
        Console.WriteLine($"## tracing {scenario.Name} on {build.Label}: one round of {count} {unit} after a warm-up; files in {folder}");
        Console.WriteLine($"# load average at the start: {BenchmarkSettings.LoadAverage()}");
        // A servicebus scenario's hub side needs the Service Bus double, as in a measured run.
        await using var serviceBus = scenario.Name.Contains("servicebus", StringComparison.Ordinal) ? await ServiceBusDoubleProcess.StartAsync() : null;
        var servers = MeasuredServers.Find(settings, broker: scenario.Name.Contains("rabbitmq", StringComparison.Ordinal), postgres: false, serviceBusPort: serviceBus?.Port);
        var environment = new Dictionary<string, string?>();
        if (serviceBus is not null)
        {
            environment[ServiceBusDoubleProcess.ConnectionVariable] = serviceBus.ConnectionString;
        }

        var trace = Path.Combine(folder, "hub.nettrace");
        var counters = Path.Combine(folder, "counters.csv");
        Round round;
        var side = await HubSideProcess.StartAsync(build, scenario.Name, environment);
        Process? tracer = null;
        Process? counter = null;
        try
        {
            Console.WriteLine($"  {await side.WarmUpAsync(count / 2, servers, settings.WarmUpLimit)}");
            var pid = side.Pid.ToString(CultureInfo.InvariantCulture);
            tracer = Tool("dotnet-trace", Path.Combine(folder, "dotnet-trace.log"), "collect", "-p", pid, "--profile", "dotnet-sampled-thread-time", "-o", trace);
            counter = Tool("dotnet-counters", Path.Combine(folder, "dotnet-counters.log"), "collect", "-p", pid, "--refresh-interval", "1", "--format", "csv", "-o", counters, "--counters", Counters);
            // Both attach through the runtime's diagnostic port within a second or two; give them time
            // so that the round is recorded whole.
            await Task.Delay(TimeSpan.FromSeconds(5));
            round = await side.RunRoundAsync(count, servers);
        }
        finally
        {
            // The tools stop and write their files when the process they watch ends.
            await side.DisposeAsync();
            foreach (var tool in new[] { tracer, counter }.OfType<Process>())
            {
                await tool.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
                tool.Dispose();
            }
        }

        Console.WriteLine(Invariant($"  traced round: {count} {unit} in {round.Elapsed.TotalSeconds:0.00} s = {round.Rate:0}/s; CPU per {unit.TrimEnd('s')}: {round.CpuText()} (load {round.Load}; the tools' own cost is in these figures)"));
        if (!File.Exists(trace))
        {
            Console.WriteLine($"  no trace was written: see {folder}/dotnet-trace.log");
            return 1;
        }

        TraceCategories.Print(trace);
        await PrintTopAsync(trace, inclusive: false);
        await PrintTopAsync(trace, inclusive: true);
        CountersSummary.Print(counters);
        Console.WriteLine($"  counters, one line a second: {counters}");
        Console.WriteLine($"  the trace opens in PerfView or speedscope (dotnet-trace convert --format Speedscope {trace})");
        return 0;
    }

    private static async Task PrintTopAsync(string trace, bool inclusive)
    {
        using var report = Tool("dotnet-trace", null, inclusive ? ["report", trace, "topN", "-n", "25", "--inclusive"] : ["report", trace, "topN", "-n", "25"]);
        await report.WaitForExitAsync();
    }

    /// <summary>A tool of the repository's manifest (.config/dotnet-tools.json; scripts/bench restores it), its output to <paramref name="log"/> or this console.</summary>
    private static Process Tool(string tool, string? log, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet", ["tool", "run", tool, "--", .. arguments])
        {
            WorkingDirectory = RepoRoot(),
            RedirectStandardOutput = log is not null,
            RedirectStandardError = log is not null,
            RedirectStandardInput = true,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start: run 'dotnet tool restore' in the repository.");
        if (log is not null)
        {
            var writer = new StreamWriter(log) { AutoFlush = true };
            process.OutputDataReceived += (_, e) => Write(writer, e.Data);
            process.ErrorDataReceived += (_, e) => Write(writer, e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            process.Exited += (_, _) => writer.Dispose();
            process.EnableRaisingEvents = true;
        }

        return process;
    }

    private static void Write(StreamWriter writer, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (writer)
        {
            try
            {
                writer.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                // the tool ended; its last lines are already written
            }
        }
    }

    private static string RepoRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "IntegrationHub.sln")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new InvalidOperationException("The benchmark is not inside the repository.");
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
