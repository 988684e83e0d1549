using System.Diagnostics;
using Azure.Messaging.ServiceBus;
using Azure.Messaging.ServiceBus.Administration;

namespace IntegrationHub.Benchmarks;

/// <summary>
/// The hub's Service Bus transport through the function runtime (16 calls at once, prefetch 240; the
/// hub's process on each build) against the strongest raw Azure.Messaging.ServiceBus loop for the same
/// work on the same Service Bus double in the same run: 1 KiB messages sent in batches of 100 by 8
/// senders, received in peek-lock by concurrent receive-and-complete loops on one receiver, with the
/// prefetch and the number of loops that did best in a sweep at the start of the run. The double's CPU
/// time per message is measured with each side's.
/// </summary>
internal sealed class ServiceBusThroughput(BenchmarkSettings settings) : Scenario(settings)
{
    private const int Senders = 8;
    private const int SendBatch = 100;
    private const int ReceiveBatch = 100;
    private static readonly int[] Prefetches = [0, 256, 1024];
    private static readonly int[] Loops = [1, 4, 16];

    public override string Name => "servicebus-throughput";

    public override string Description => "the hub's Service Bus transport through the function runtime vs the raw SDK at its best prefetch and receive loops, on the Service Bus double";

    public override bool RunsSides => true;

    public override async Task<IReadOnlyList<Figure>> RunAsync()
    {
        var load = BenchmarkSettings.LoadAverage();
        await using var serviceBus = await ServiceBusDoubleProcess.StartAsync();
        await using var client = new ServiceBusClient(serviceBus.ConnectionString);
        var admin = new ServiceBusAdministrationClient(serviceBus.ConnectionString);
        var (prefetch, loops) = await SweepAsync(client, admin);
        var baselineText = $"raw Azure.Messaging.ServiceBus on the same double: peek-lock, {Senders} senders in batches of {SendBatch}, {loops} receive-and-complete loops on one receiver (batches of {ReceiveBatch}), prefetch {prefetch}: the sweep's best";
        var environment = new Dictionary<string, string?> { [ServiceBusDoubleProcess.ConnectionVariable] = serviceBus.ConnectionString };
        var (hub, baseline) = await AlternateAsync(Name, "messages", Settings.Messages, environment,
            MeasuredServers.Find(Settings, broker: false, postgres: false, serviceBusPort: serviceBus.Port), messages => RawAsync(client, admin, messages, prefetch, loops));
        return Figures("messages", hub, baseline, baselineText, load);
    }

    /// <summary>Every prefetch with every number of loops, once each: the fastest pair.</summary>
    private async Task<(int Prefetch, int Loops)> SweepAsync(ServiceBusClient client, ServiceBusAdministrationClient admin)
    {
        var messages = Settings.Messages / 4;
        await RawAsync(client, admin, messages / 2, 256, 4);
        var best = (Prefetch: 0, Loops: 0, Rate: 0.0);
        foreach (var prefetch in Prefetches)
        {
            foreach (var loops in Loops)
            {
                var rate = messages / (await RawAsync(client, admin, messages, prefetch, loops)).TotalSeconds;
                Console.WriteLine(Invariant($"  sweep: prefetch {prefetch,5}, {loops,3} loops: {rate:0}/s"));
                if (rate > best.Rate)
                {
                    best = (prefetch, loops, rate);
                }
            }
        }

        Console.WriteLine(Invariant($"  sweep: best prefetch {best.Prefetch}, {best.Loops} loops ({best.Rate:0}/s)"));
        return (best.Prefetch, best.Loops);
    }

    private static async Task<TimeSpan> RawAsync(ServiceBusClient client, ServiceBusAdministrationClient admin, int messages, int prefetch, int loops)
    {
        var queue = $"bench-raw-{Guid.NewGuid():N}";
        await admin.CreateQueueAsync(new CreateQueueOptions(queue) { LockDuration = TimeSpan.FromMinutes(1), MaxDeliveryCount = 10 });
        await using var sender = client.CreateSender(queue);
        await using var receiver = client.CreateReceiver(queue, new ServiceBusReceiverOptions { ReceiveMode = ServiceBusReceiveMode.PeekLock, PrefetchCount = prefetch });
        var body = new BinaryData(new byte[BenchmarkSettings.MessageSize]);
        var received = 0;

        var watch = Stopwatch.StartNew();
        var next = -SendBatch;
        var sending = Task.WhenAll(Enumerable.Range(0, Senders).Select(async _ =>
        {
            while (Interlocked.Add(ref next, SendBatch) is var start && start < messages)
            {
                await sender.SendMessagesAsync(Enumerable.Range(start, Math.Min(SendBatch, messages - start))
                    .Select(i => new ServiceBusMessage(body) { MessageId = $"raw:{i}", ContentType = "application/json" }));
            }
        }));
        var receiving = Task.WhenAll(Enumerable.Range(0, loops).Select(async _ =>
        {
            while (Volatile.Read(ref received) < messages)
            {
                var batch = await receiver.ReceiveMessagesAsync(ReceiveBatch, TimeSpan.FromMilliseconds(200));
                await Task.WhenAll(batch.Select(m => receiver.CompleteMessageAsync(m)));
                Interlocked.Add(ref received, batch.Count);
            }
        }));
        await Task.WhenAll(sending, receiving);
        var elapsed = watch.Elapsed;
        await admin.DeleteQueueAsync(queue);
        return elapsed;
    }
}
