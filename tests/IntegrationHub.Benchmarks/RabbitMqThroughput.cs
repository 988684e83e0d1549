using System.Diagnostics;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace IntegrationHub.Benchmarks;

/// <summary>
/// The hub's RabbitMQ transport through the function runtime (16 calls at once, prefetch 240: 256
/// unsettled at most; the hub's process on each build) against the strongest raw RabbitMQ.Client loop
/// for the same work: quorum queue, persistent messages, publisher confirms, manual acknowledgements,
/// with the prefetch and the publish window that did best in a sweep at the start of the same run.
/// The broker's CPU time per message is measured with each side's.
/// </summary>
internal sealed class RabbitMqThroughput(BenchmarkSettings settings) : Scenario(settings)
{
    private static readonly int[] Prefetches = [64, 256, 1024];
    private static readonly int[] Windows = [64, 256, 1024];
    private static readonly Dictionary<string, object?> Quorum = new() { ["x-queue-type"] = "quorum" };

    public override string Name => "rabbitmq-throughput";

    public override string Description => "the hub's RabbitMQ transport through the function runtime vs the raw client at its best prefetch and publish window";

    public override bool RunsSides => true;

    public override async Task<IReadOnlyList<Figure>> RunAsync()
    {
        var load = BenchmarkSettings.LoadAverage();
        var (prefetch, window) = await SweepAsync();
        var baselineText = $"raw RabbitMQ.Client, quorum queue, persistent messages, publisher confirms, manual acks (one multiple ack per {AckEvery(prefetch)}), at the sweep's best: prefetch {prefetch}, {window} publishes in flight";
        var (hub, baseline) = await AlternateAsync(Name, "messages", Settings.Messages, new Dictionary<string, string?>(),
            MeasuredServers.Find(Settings, broker: true, postgres: false), messages => RawAsync(messages, prefetch, window));
        return Figures("messages", hub, baseline, baselineText, load);
    }

    /// <summary>Publishes with confirms, at most <paramref name="inFlight"/> unconfirmed at once.</summary>
    internal static async Task PublishAsync(IChannel channel, string queue, int messages, int inFlight)
    {
        var body = RawBody();
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

    internal static byte[] RawBody() => new byte[BenchmarkSettings.MessageSize];

    private static int AckEvery(int prefetch) => Math.Max(1, prefetch / 4);

    /// <summary>Every prefetch with every publish window, once each: the fastest pair.</summary>
    private async Task<(int Prefetch, int Window)> SweepAsync()
    {
        var messages = Settings.Messages / 2;
        await RawAsync(messages / 2, 256, 256);
        var best = (Prefetch: 0, Window: 0, Rate: 0.0);
        foreach (var prefetch in Prefetches)
        {
            foreach (var window in Windows)
            {
                var rate = messages / (await RawAsync(messages, prefetch, window)).TotalSeconds;
                Console.WriteLine(Invariant($"  sweep: prefetch {prefetch,5}, {window,5} publishes in flight: {rate:0}/s"));
                if (rate > best.Rate)
                {
                    best = (prefetch, window, rate);
                }
            }
        }

        Console.WriteLine(Invariant($"  sweep: best prefetch {best.Prefetch}, {best.Window} in flight ({best.Rate:0}/s)"));
        return (best.Prefetch, best.Window);
    }

    private async Task<TimeSpan> RawAsync(int messages, int prefetch, int window)
    {
        var factory = new ConnectionFactory { Uri = Settings.RabbitMqUri };
        await using var publishing = await factory.CreateConnectionAsync();
        await using var consuming = await factory.CreateConnectionAsync();
        await using var publisher = await publishing.CreateChannelAsync(new CreateChannelOptions(true, true, outstandingPublisherConfirmationsRateLimiter: null));
        await using var consumer = await consuming.CreateChannelAsync();
        var queue = $"bench-raw-{Guid.NewGuid():N}";
        await publisher.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, arguments: Quorum);
        await consumer.BasicQosAsync(0, (ushort)prefetch, false);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var received = 0;
        var ackEvery = AckEvery(prefetch);
        var subscriber = new AsyncEventingBasicConsumer(consumer);
        subscriber.ReceivedAsync += async (_, delivery) =>
        {
            // Deliveries on one channel arrive in order: one ack with multiple set settles the batch.
            var count = ++received;
            if (count % ackEvery == 0 || count == messages)
            {
                await consumer.BasicAckAsync(delivery.DeliveryTag, multiple: true);
            }

            if (count == messages)
            {
                done.TrySetResult();
            }
        };
        await consumer.BasicConsumeAsync(queue, autoAck: false, subscriber);

        var watch = Stopwatch.StartNew();
        await PublishAsync(publisher, queue, messages, window);
        await done.Task;
        var elapsed = watch.Elapsed;
        await publisher.QueueDeleteAsync(queue);
        return elapsed;
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
}
