using System.Diagnostics;
using System.Globalization;

namespace IntegrationHub.Benchmarks;

/// <summary>
/// Queue-to-function latency on the embedded transport at half its maximum load, in this process on
/// the working tree's build: the maximum is measured first (as in embedded-throughput), then messages
/// are sent at half that rate, in a small batch every 10 ms, and each message's time from send to its
/// function is recorded.
/// </summary>
internal sealed class EmbeddedLatency(BenchmarkSettings settings) : Scenario(settings)
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(10);

    public override string Name => "embedded-latency";

    public override string Description => "queue-to-function latency (p50, p99) on the embedded transport at half its maximum load";

    public override async Task<IReadOnlyList<Figure>> RunAsync()
    {
        var load = BenchmarkSettings.LoadAverage();
        var side = new MessagingSide("embedded");
        await side.RunRoundAsync(Math.Min(5_000, Settings.Messages / 4), () => { }, CancellationToken.None);
        var maximum = Settings.Messages / (await side.RunRoundAsync(Settings.Messages, () => { }, CancellationToken.None)).TotalSeconds;
        var rate = maximum / 2;
        var duration = Settings.Quick ? TimeSpan.FromSeconds(5) : TimeSpan.FromSeconds(15);
        var perTick = Math.Max(1, (int)(rate * Tick.TotalSeconds));
        var messages = (int)(duration / Tick) * perTick;
        Console.WriteLine(Invariant($"  maximum {maximum:0}/s; sending {perTick} every {Tick.TotalMilliseconds:0} ms = {perTick / Tick.TotalSeconds:0}/s for {duration.TotalSeconds:0} s"));

        await using var hub = await BenchmarkHub.StartAsync("embedded", "latency", messages);
        var round = await MeasureInProcessAsync(
            async () =>
            {
                var watch = Stopwatch.StartNew();
                using var ticks = new PeriodicTimer(Tick);
                for (var sent = 0; sent < messages; sent += perTick)
                {
                    var batch = Enumerable.Range(sent, perTick).Select(BenchmarkHub.Message).ToList();
                    await hub.Client.SendBatchAsync("latency", batch, CancellationToken.None);
                    await ticks.WaitForNextTickAsync();
                }

                await hub.Countdown.Done;
                return watch.Elapsed;
            },
            messages,
            MeasuredServers.None,
            "hub");
        var latencies = hub.Countdown.LatenciesMs.Order().ToArray();
        var p50 = Percentile(latencies, 0.50);
        var p99 = Percentile(latencies, 0.99);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {messages} messages at {round.Rate:0}/s: p50 {p50:0.0} ms, p99 {p99:0.0} ms, max {latencies[^1]:0.0} ms (load {round.Load})"));
        return [new Figure(Name, Settings.Builds[0].Label, "messages", [round], null, null, load, Invariant($"p50={p50:0.0}ms p99={p99:0.0}ms at half of {maximum:0}/s"))];
    }

    private static double Percentile(double[] sorted, double fraction) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(fraction * sorted.Length) - 1)];
}
