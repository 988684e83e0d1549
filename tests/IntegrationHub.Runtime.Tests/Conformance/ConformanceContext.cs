using System.Diagnostics;
using System.Text;
using IntegrationHub.Core.Messaging;

namespace IntegrationHub.Runtime.Tests.Conformance;

/// <summary>Messages and waits shared by the conformance tests.</summary>
internal static class Messages
{
    public static OutgoingMessage Create(string id, string? body = null, DateTimeOffset? scheduledFor = null) => new()
    {
        MessageId = id,
        Body = Encoding.UTF8.GetBytes(body ?? $$"""{"id":"{{id}}"}"""),
        CorrelationId = "G22.99-241205-000123",
        Subject = "DossierRouted",
        ApplicationProperties = new Dictionary<string, string> { ["traceparent"] = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", ["step"] = "route" },
        ScheduledEnqueueTimeUtc = scheduledFor,
    };

    public static string Text(ReceivedMessage message) => Encoding.UTF8.GetString(message.Body.Span);

    /// <summary>Receives until <paramref name="count"/> messages came or <paramref name="timeout"/> (real time) passed.</summary>
    public static async Task<List<ReceivedMessage>> ReceiveAsync(QueuePort client, string queue, int count, TimeSpan? timeout = null)
    {
        // A broker delivers asynchronously, so this waits on the condition with a bound, not on the clock.
        var received = new List<ReceivedMessage>();
        var watch = Stopwatch.StartNew();
        while (received.Count < count && watch.Elapsed < (timeout ?? TimeSpan.FromSeconds(15)))
        {
            var batch = await client.ReceiveAsync(queue, count - received.Count, TimeSpan.Zero, CancellationToken.None);
            received.AddRange(batch);
            if (batch.Count == 0)
            {
                await Task.Delay(10);
            }
        }

        return received;
    }

    /// <summary>
    /// Sends a sentinel and receives until it arrives: every message queued before it has then been
    /// received (queues are FIFO), so what came before it is all there was. Returns those, completed.
    /// </summary>
    public static async Task<List<ReceivedMessage>> DrainAsync(QueuePort client, string queue)
    {
        var sentinel = $"sentinel-{Guid.NewGuid():N}";
        await client.SendAsync(queue, Create(sentinel), CancellationToken.None);
        var before = new List<ReceivedMessage>();
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(15))
        {
            foreach (var message in await ReceiveAsync(client, queue, 1, TimeSpan.FromSeconds(15)))
            {
                await client.CompleteAsync(message, CancellationToken.None);
                if (message.MessageId == sentinel)
                {
                    return before;
                }

                before.Add(message);
            }
        }

        throw new TimeoutException($"The sentinel sent to {queue} did not arrive.");
    }

    /// <summary>Waits (real time, bounded) until <paramref name="condition"/> holds.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            if (watch.Elapsed > timeout)
            {
                throw new TimeoutException($"Waited {timeout.TotalSeconds:0} s for {what}.");
            }

            await Task.Delay(20);
        }
    }
}
