using System.Diagnostics;
using System.Globalization;

namespace IntegrationHub.Benchmarks;

/// <summary>
/// Queue-to-function latency on the embedded transport at half its maximum load: the maximum is
/// measured first (as in embedded-throughput), then messages are sent at half that rate, in a small
/// batch every 10 ms, and each message's time from send to its function is recorded.
/// </summary>
internal sealed class EmbeddedLatency(BenchmarkSettings settings) : Scenario(settings)
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(10);

    public override string Name => "embedded-latency";

    public override string Description => "queue-to-function latency (p50, p99) on the embedded transport at half its maximum load";

    public override async Task<string> RunAsync()
    {
        await EmbeddedThroughput.HubAsync(Math.Min(5_000, Settings.Messages / 4), Settings);
        var maximum = Settings.Messages / (await EmbeddedThroughput.HubAsync(Settings.Messages, Settings)).TotalSeconds;
        var rate = maximum / 2;
        var duration = Settings.Quick ? TimeSpan.FromSeconds(5) : TimeSpan.FromSeconds(15);
        var perTick = Math.Max(1, (int)(rate * Tick.TotalSeconds));
        var messages = (int)(duration / Tick) * perTick;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  maximum {maximum:0}/s; sending {perTick} every {Tick.TotalMilliseconds:0} ms = {perTick / Tick.TotalSeconds:0}/s for {duration.TotalSeconds:0} s"));

        await using var hub = await BenchmarkHub.StartAsync("embedded", "latency", messages, Settings);
        var watch = Stopwatch.StartNew();
        using var ticks = new PeriodicTimer(Tick);
        for (var sent = 0; sent < messages; sent += perTick)
        {
            var batch = Enumerable.Range(sent, perTick).Select(BenchmarkHub.Message).ToList();
            await hub.Client.SendBatchAsync("latency", batch, CancellationToken.None);
            await ticks.WaitForNextTickAsync();
        }

        await hub.Countdown.Done;
        var achieved = messages / watch.Elapsed.TotalSeconds;
        var latencies = hub.Countdown.LatenciesMs.Order().ToArray();
        var p50 = Percentile(latencies, 0.50);
        var p99 = Percentile(latencies, 0.99);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {messages} messages at {achieved:0}/s: p50 {p50:0.0} ms, p99 {p99:0.0} ms, max {latencies[^1]:0.0} ms (load {BenchmarkSettings.LoadAverage()})"));
        return Result(achieved, maximum, string.Create(CultureInfo.InvariantCulture, $" p50={p50:0.0}ms p99={p99:0.0}ms"));
    }

    private static double Percentile(double[] sorted, double fraction) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(fraction * sorted.Length) - 1)];
}
