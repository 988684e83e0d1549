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

    public override async Task<string> RunAsync()
    {
        var messages = Settings.Quick ? 5_000 : 20_000;
        await PublishAsync(messages / 4, 512, throttled: false);
        var rates = new Dictionary<int, double>();
        foreach (var limit in Limits)
        {
            rates[limit] = messages / (await PublishAsync(messages, limit, throttled: false)).TotalSeconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {limit,5} in flight, no limiter: {rates[limit]:0}/s"));
        }

        // Throttled publishing is slow, so it gets fewer messages; 128 in flight is as many as the
        // limiter admits (more waiting than its queue holds fail to get a lease).
        var throttledMessages = Settings.Quick ? 1_000 : 2_000;
        var throttled = throttledMessages / (await PublishAsync(throttledMessages, 128, throttled: true)).TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    128 in flight, ThrottlingRateLimiter(128): {throttled:0}/s"));
        return Result(rates[512], throttled, " (hub: 512 in flight, the hub's default; baseline: the client's default limiter)");
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
