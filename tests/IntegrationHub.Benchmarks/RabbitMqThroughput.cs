using System.Diagnostics;
using IntegrationHub.Core.Messaging;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace IntegrationHub.Benchmarks;

/// <summary>
/// End-to-end throughput over RabbitMQ: raw RabbitMQ.Client (quorum queue, persistent messages,
/// publisher confirms with 256 in flight, manual acks, 256 unacknowledged at most) against the hub's
/// transport driven by the function runtime (16 calls at once, prefetch 240: 256 unsettled at most).
/// </summary>
internal sealed class RabbitMqThroughput(BenchmarkSettings settings) : Scenario(settings)
{
    private const int Prefetch = BenchmarkHub.Concurrency + BenchmarkHub.Prefetch;
    private const int InFlight = 256;
    private static readonly Dictionary<string, object?> Quorum = new() { ["x-queue-type"] = "quorum" };

    public override string Name => "rabbitmq-throughput";

    public override string Description => "raw RabbitMQ.Client publish-with-confirms + consume vs the hub's RabbitMQ transport through the function runtime";

    public override async Task<string> RunAsync()
    {
        var (hub, baseline) = await CompareAsync(HubAsync, RawAsync);
        return Result(hub, baseline);
    }

    private async Task<TimeSpan> RawAsync(int messages)
    {
        var factory = new ConnectionFactory { Uri = Settings.RabbitMqUri };
        await using var publishing = await factory.CreateConnectionAsync();
        await using var consuming = await factory.CreateConnectionAsync();
        await using var publisher = await publishing.CreateChannelAsync(new CreateChannelOptions(true, true, outstandingPublisherConfirmationsRateLimiter: null));
        await using var consumer = await consuming.CreateChannelAsync();
        var queue = $"bench-raw-{Guid.NewGuid():N}";
        await publisher.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, arguments: Quorum);
        await consumer.BasicQosAsync(0, Prefetch, false);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var received = 0;
        var subscriber = new AsyncEventingBasicConsumer(consumer);
        subscriber.ReceivedAsync += async (_, delivery) =>
        {
            await consumer.BasicAckAsync(delivery.DeliveryTag, false);
            if (Interlocked.Increment(ref received) == messages)
            {
                done.TrySetResult();
            }
        };
        await consumer.BasicConsumeAsync(queue, autoAck: false, subscriber);

        var watch = Stopwatch.StartNew();
        await PublishAsync(publisher, queue, messages, InFlight);
        await done.Task;
        var elapsed = watch.Elapsed;
        await publisher.QueueDeleteAsync(queue);
        return elapsed;
    }

    /// <summary>Publishes with confirms, at most <paramref name="inFlight"/> unconfirmed at once.</summary>
    internal static async Task PublishAsync(IChannel channel, string queue, int messages, int inFlight)
    {
        var body = BenchmarkHub.RawBody();
        using var slots = new SemaphoreSlim(inFlight);
        var confirms = new List<Task>(messages);
        for (var i = 0; i < messages; i++)
        {
            await slots.WaitAsync();
            var properties = new BasicProperties { Persistent = true, MessageId = $"raw:{i}", ContentType = "application/json" };
            confirms.Add(ConfirmAsync(channel.BasicPublishAsync("", queue, true, properties, body), slots));
        }

        await Task.WhenAll(confirms);
    }

    private static async Task ConfirmAsync(ValueTask publish, SemaphoreSlim slots)
    {
        try
        {
            await publish;
        }
        finally
        {
            slots.Release();
        }
    }

    private async Task<TimeSpan> HubAsync(int messages)
    {
        var queue = $"bench-hub-{Guid.NewGuid():N}";
        TimeSpan elapsed;
        var prepared = Enumerable.Range(0, messages).Select(BenchmarkHub.Message).ToArray();
        await using (var hub = await BenchmarkHub.StartAsync("rabbitmq", queue, messages, Settings))
        {
            var watch = Stopwatch.StartNew();
            await SendAsync(hub, queue, prepared, producers: 8);
            await hub.Countdown.Done;
            elapsed = watch.Elapsed;
        }

        await DeleteAsync(queue);
        return elapsed;
    }

    /// <summary>Sends prepared messages (built before the clock starts, as the raw side's body is) in batches of 100 from a few producers.</summary>
    internal static async Task SendAsync(BenchmarkHub hub, string queue, OutgoingMessage[] messages, int producers)
    {
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, producers).Select(async _ =>
        {
            while (true)
            {
                var start = Interlocked.Add(ref next, 100) - 99;
                if (start >= messages.Length)
                {
                    return;
                }

                await hub.Client.SendBatchAsync(queue, new ArraySegment<OutgoingMessage>(messages, start, Math.Min(100, messages.Length - start)), CancellationToken.None);
            }
        }));
    }

    private async Task DeleteAsync(string queue)
    {
        await using var connection = await new ConnectionFactory { Uri = Settings.RabbitMqUri }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.QueueDeleteAsync(queue);
        await channel.QueueDeleteAsync(queue + "/$deadletterqueue");
    }
}
