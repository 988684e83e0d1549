using System.Diagnostics;
using System.Globalization;
using RabbitMQ.Client;

namespace IntegrationHub.Benchmarks;

/// <summary>
/// Publish-with-confirms throughput (publishing only) by how many publishes are in flight with the
/// client's limiter off, against the client's default limiter (ThrottlingRateLimiter(128), which
/// delays each publish once more than 64 are unconfirmed): the figures behind
/// RabbitMqOptions.MaxPublishesInFlight.
/// </summary>
internal sealed class RabbitMqInFlight(BenchmarkSettings settings) : Scenario(settings)
{
    private static readonly int[] Limits = [32, 128, 512, 2048];

    public override string Name => "rabbitmq-inflight";

    public override string Description => "publish-with-confirms by publishes in flight (no client limiter) vs the client's default ThrottlingRateLimiter(128)";

    public override async Task<IReadOnlyList<Figure>> RunAsync()
    {
        var load = BenchmarkSettings.LoadAverage();
        var servers = MeasuredServers.Find(Settings, broker: true, postgres: false);
        var messages = Settings.Quick ? 5_000 : 20_000;
        await PublishAsync(messages / 4, 512, throttled: false);
        var rounds = new Dictionary<int, Round>();
        foreach (var limit in Limits)
        {
            rounds[limit] = await MeasureInProcessAsync(() => PublishAsync(messages, limit, throttled: false), messages, servers);
            Print($"{limit} in flight", 1, messages, "messages", rounds[limit]);
        }

        // Throttled publishing is slow, so it gets fewer messages; 128 in flight is as many as the
        // limiter admits (more waiting than its queue holds fail to get a lease).
        var throttledMessages = Settings.Quick ? 1_000 : 2_000;
        var throttled = await MeasureInProcessAsync(() => PublishAsync(throttledMessages, 128, throttled: true), throttledMessages, servers);
        Print("128, limiter", 1, throttledMessages, "messages", throttled);
        return [new Figure(Name, "512 in flight", "messages", [rounds[512]], [throttled], "the client's default ThrottlingRateLimiter(128), 128 in flight", load, "(the hub's default MaxPublishesInFlight is 512)")];
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
