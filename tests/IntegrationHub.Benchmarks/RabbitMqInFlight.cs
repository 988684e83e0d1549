using System.Diagnostics;
using System.Globalization;
using RabbitMQ.Client;

namespace IntegrationHub.Benchmarks;

/// <summary>
/// Publish-with-confirms throughput (publishing only) by how many publishes are in flight with the
/// client's limiter off, against the client's default limiter (ThrottlingRateLimiter(128), which
/// delays each publish once more than 64 are unconfirmed): the figures behind
/// RabbitMqOptions.MaxPublishesInFlight. Every setting publishes the same number of messages in each
/// round, the settings' order reversed every round; the figure is the hub's default against the
/// limiter, and the run names the sweep's best and where the default stands against it.
/// </summary>
internal sealed class RabbitMqInFlight(BenchmarkSettings settings) : Scenario(settings)
{
    /// <summary>The hub's default.</summary>
    private static readonly int HubDefault = new IntegrationHub.Runtime.RabbitMqOptions().MaxPublishesInFlight;

    private static readonly int[] Limits = [.. new[] { 32, 128, 256, 1024, 2048, HubDefault }.Distinct().Order()];

    public override string Name => "rabbitmq-inflight";

    public override string Description => "publish-with-confirms by publishes in flight (no client limiter) vs the client's default ThrottlingRateLimiter(128)";

    public override async Task<IReadOnlyList<Figure>> RunAsync()
    {
        var load = BenchmarkSettings.LoadAverage();
        var servers = MeasuredServers.Find(Settings, broker: true, postgres: false);
        var messages = Settings.Quick ? 5_000 : 20_000;
        await PublishAsync(messages / 4, HubDefault, throttled: false);

        // 128 in flight under the limiter is as many as it admits (more waiting than its queue holds fail to get a lease).
        var hubLabel = $"{HubDefault} in flight";
        const string LimiterLabel = "128, limiter";
        var sides = Limits.Select(l => (Label: $"{l} in flight", InFlight: l, Throttled: false))
            .Append((Label: LimiterLabel, InFlight: 128, Throttled: true)).ToList();
        var rounds = sides.ToDictionary(s => s.Label, _ => new List<Round>());
        for (var round = 1; round <= Settings.Rounds; round++)
        {
            foreach (var (label, inFlight, throttled) in round % 2 == 1 ? sides : Enumerable.Reverse(sides))
            {
                var measured = await MeasureInProcessAsync(() => PublishAsync(messages, inFlight, throttled), messages, servers);
                rounds[label].Add(measured);
                Print(label, round, messages, "messages", measured);
            }
        }

        var medians = sides.ToDictionary(s => s.Label, s => Figure.Median(rounds[s.Label].Select(r => r.Rate)));
        var best = sides.Where(s => !s.Throttled).MaxBy(s => medians[s.Label]);
        var hub = medians[hubLabel];
        Console.WriteLine(Invariant($"  sweep (medians): {string.Join(", ", sides.Select(s => $"{s.Label} {medians[s.Label]:0}/s"))}"));
        Console.WriteLine(Invariant($"  sweep: best {best.Label} ({medians[best.Label]:0}/s); the hub's default, {HubDefault} in flight, at {hub / medians[best.Label]:0.00} of it"));
        return [new Figure(Name, hubLabel, "messages", rounds[hubLabel], rounds[LimiterLabel], "the client's default ThrottlingRateLimiter(128), 128 in flight", load,
            Invariant($"(the hub's default MaxPublishesInFlight is {HubDefault}; the sweep's best {best.Label}, {medians[best.Label]:0}/s, the default at {hub / medians[best.Label]:0.00} of it)"))];
    }

    private async Task<TimeSpan> PublishAsync(int messages, int inFlight, bool throttled)
    {
        await using var connection = await new ConnectionFactory { Uri = Settings.RabbitMqUri }.CreateConnectionAsync();
        var options = throttled ? new CreateChannelOptions(true, true, new ThrottlingRateLimiter(128)) : new CreateChannelOptions(true, true, outstandingPublisherConfirmationsRateLimiter: null);
        await using var channel = await connection.CreateChannelAsync(options);
        var queue = $"bench-inflight-{Guid.NewGuid():N}";
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, arguments: new Dictionary<string, object?> { ["x-queue-type"] = "quorum" });
        var watch = Stopwatch.StartNew();
        await RabbitMqThroughput.PublishAsync(channel, queue, messages, inFlight);
        var elapsed = watch.Elapsed;
        await channel.QueueDeleteAsync(queue);
        return elapsed;
    }
}
