using System.Diagnostics;
using IntegrationHub.Core.Messaging;
using RabbitMQ.Client;

namespace IntegrationHub.Benchmarks;

/// <summary>
/// The hub's side of embedded-throughput, rabbitmq-throughput and servicebus-throughput: a hub with one counting function
/// (16 calls at once, prefetch 240), fresh each round; 1 KiB messages, prepared before the clock
/// starts, sent in batches of 100 through the hub's own client, until the function has had them all.
/// </summary>
internal sealed class MessagingSide(string transport) : IHubSide
{
    public async Task<TimeSpan> RunRoundAsync(int count, Action started, CancellationToken cancellationToken)
    {
        var queue = transport == "embedded" ? "bench" : $"bench-hub-{Guid.NewGuid():N}";
        var prepared = Enumerable.Range(0, count).Select(BenchmarkHub.Message).ToArray();
        TimeSpan elapsed;
        await using (var hub = await BenchmarkHub.StartAsync(transport, queue, count))
        {
            started();
            var watch = Stopwatch.StartNew();
            await SendAsync(hub, queue, prepared, producers: transport == "embedded" ? 1 : 8, cancellationToken);
            await hub.Countdown.Done.WaitAsync(cancellationToken);
            elapsed = watch.Elapsed;
        }

        // A servicebus round's queue is left empty in the run's own double.
        if (transport == "rabbitmq")
        {
            await DeleteAsync(queue);
        }

        return elapsed;
    }

    /// <summary>Sends prepared messages in batches of 100 from a few producers.</summary>
    internal static async Task SendAsync(BenchmarkHub hub, string queue, OutgoingMessage[] messages, int producers, CancellationToken cancellationToken)
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

                await hub.Client.SendBatchAsync(queue, new ArraySegment<OutgoingMessage>(messages, start, Math.Min(100, messages.Length - start)), cancellationToken);
            }
        }));
    }

    private static async Task DeleteAsync(string queue)
    {
        await using var connection = await new ConnectionFactory { Uri = SideSettings.RabbitMqUri }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.QueueDeleteAsync(queue);
        await channel.QueueDeleteAsync(queue + "/$deadletterqueue");
    }
}
