using System.Globalization;

namespace IntegrationHub.Benchmarks;

/// <summary>How big a run is, and where the broker is.</summary>
internal sealed class BenchmarkSettings(bool quick)
{
    public bool Quick { get; } = quick;

    /// <summary>Measured rounds per side; the result is their median.</summary>
    public int Rounds => Quick ? 1 : 3;

    public int Messages => Quick ? 10_000 : 40_000;

    public static int MessageSize => 1024;

    public Uri RabbitMqUri { get; } = new(Environment.GetEnvironmentVariable("HUB_RABBITMQ_URI") is { Length: > 0 } uri ? uri : "amqp://guest:guest@127.0.0.1:5672/");

    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
}

/// <summary>One scenario: the hub's side against a raw baseline, each measured <see cref="BenchmarkSettings.Rounds"/> times.</summary>
internal abstract class Scenario(BenchmarkSettings settings)
{
    protected BenchmarkSettings Settings { get; } = settings;

    public abstract string Name { get; }

    public abstract string Description { get; }

    /// <summary>Runs the rounds; returns the RESULT line.</summary>
    public abstract Task<string> RunAsync();

    protected static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    protected string Result(double hub, double baseline, string extra = "") =>
        string.Create(CultureInfo.InvariantCulture, $"RESULT {Name} hub={hub:0}/s baseline={baseline:0}/s ratio={hub / baseline:0.00}{extra}");

    protected static void Report(string side, int round, int messages, TimeSpan elapsed, TimeSpan cpu) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {side,-9} round {round}: {messages} messages in {elapsed.TotalSeconds:0.00} s = {messages / elapsed.TotalSeconds:0}/s, this process's CPU {cpu.TotalMicroseconds / messages:0.0} µs/message (load {BenchmarkSettings.LoadAverage()})"));

    private static async Task<(TimeSpan Elapsed, TimeSpan Cpu)> MeasureAsync(Func<int, Task<TimeSpan>> side, int messages)
    {
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        var before = process.TotalProcessorTime;
        var elapsed = await side(messages);
        process.Refresh();
        return (elapsed, process.TotalProcessorTime - before);
    }

    /// <summary>Measures each side <see cref="BenchmarkSettings.Rounds"/> times, alternating, after one small warm-up each.</summary>
    protected async Task<(double Hub, double Baseline)> CompareAsync(Func<int, Task<TimeSpan>> hub, Func<int, Task<TimeSpan>> baseline)
    {
        // Long enough for the JIT to have compiled both sides' hot paths fully.
        var warmUp = Settings.Messages / 2;
        await baseline(warmUp);
        await hub(warmUp);
        var hubRates = new List<double>();
        var baselineRates = new List<double>();
        for (var round = 1; round <= Settings.Rounds; round++)
        {
            var (elapsed, cpu) = await MeasureAsync(baseline, Settings.Messages);
            Report("baseline", round, Settings.Messages, elapsed, cpu);
            baselineRates.Add(Settings.Messages / elapsed.TotalSeconds);
            (elapsed, cpu) = await MeasureAsync(hub, Settings.Messages);
            Report("hub", round, Settings.Messages, elapsed, cpu);
            hubRates.Add(Settings.Messages / elapsed.TotalSeconds);
        }

        return (Median(hubRates), Median(baselineRates));
    }
}
