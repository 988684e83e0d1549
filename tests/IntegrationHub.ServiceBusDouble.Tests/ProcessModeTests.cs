using Azure.Messaging.ServiceBus;
using Azure.Messaging.ServiceBus.Administration;

namespace IntegrationHub.ServiceBusDouble.Tests;

/// <summary>The double as a process for the run command, and its frame log.</summary>
public sealed class ProcessModeTests : IDisposable
{
    readonly string directory = Directory.CreateTempSubdirectory("sbdouble-").FullName;

    static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Process_PrintsItsConnectionString_ServesTheSdk_LogsFrames_AndStopsOnSigterm()
    {
        string frames = Path.Combine(directory, "frames.log");
        await using DoubleProcess process = await DoubleProcess.StartAsync("--port", "0", "--queues", "intake,route", "--log", frames);
        await using (var client = new ServiceBusClient(process.ConnectionString, TestNamespace.ClientOptions()))
        {
            await using ServiceBusSender sender = client.CreateSender("route");
            await sender.SendMessageAsync(new ServiceBusMessage("x") { MessageId = "p-1" }, Token);
            await using ServiceBusReceiver receiver = client.CreateReceiver("route");
            Assert.Equal("p-1", (await receiver.ReceiveMessageAsync(TimeSpan.FromSeconds(10), Token))?.MessageId);
        }

        Assert.Equal(0, await process.StopAsync());
        string log = await File.ReadAllTextAsync(frames, Token);
        Assert.Contains("RECV attach", log, StringComparison.Ordinal);
        Assert.Contains("enqueued 1 message(s) on route: id=p-1", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Snapshot_KeepsMessagesAcrossARestart()
    {
        string snapshot = Path.Combine(directory, "state.json");
        await using (DoubleProcess first = await DoubleProcess.StartAsync("--port", "0", "--queues", "intake", "--snapshot", snapshot))
        {
            await using var client = new ServiceBusClient(first.ConnectionString, TestNamespace.ClientOptions());
            await using ServiceBusSender sender = client.CreateSender("intake");
            await sender.SendMessagesAsync([new ServiceBusMessage("kept") { MessageId = "k-1" }, new ServiceBusMessage("second") { MessageId = "s-1" }], Token);
            await using ServiceBusReceiver receiver = client.CreateReceiver("intake");
            ServiceBusReceivedMessage delivered = (await receiver.ReceiveMessageAsync(TimeSpan.FromSeconds(10), Token))!;
            await receiver.AbandonMessageAsync(delivered, cancellationToken: Token);
            Assert.Equal(0, await first.StopAsync());
        }

        await using DoubleProcess second = await DoubleProcess.StartAsync("--port", "0", "--snapshot", snapshot);
        await using var again = new ServiceBusClient(second.ConnectionString, TestNamespace.ClientOptions());
        await using ServiceBusReceiver after = again.CreateReceiver("intake");
        IReadOnlyList<ServiceBusReceivedMessage> messages = await after.ReceiveMessagesAsync(2, TimeSpan.FromSeconds(10), Token);
        while (messages.Count < 2 && await after.ReceiveMessagesAsync(2, TimeSpan.FromSeconds(5), Token) is { Count: > 0 } more)
        {
            messages = [.. messages, .. more];
        }

        Assert.Equal(["k-1", "s-1"], messages.Select(m => m.MessageId));
        Assert.Equal([2, 1], messages.Select(m => m.DeliveryCount));
    }

    [Fact]
    public async Task FrameLog_ShowsThePerformativesAndMessagesOfAnExchange()
    {
        await using TestNamespace sb = await TestNamespace.StartAsync("intake");
        await PeekLockTests.SendAsync(sb, "intake", "m-1");
        await using ServiceBusReceiver receiver = sb.Client.CreateReceiver("intake");
        await receiver.CompleteMessageAsync((await receiver.ReceiveMessageAsync(TimeSpan.FromSeconds(10), Token))!, Token);

        // The double logs a frame once it has written it: the client may have the answer to its
        // disposition before the line is in the log.
        IReadOnlyList<string> log = await FrameLogOnceAsync(sb, "disposition Complete on intake", "SEND disposition");

        string[] expected =
        [
            "RECV open", "SEND open", "put-token amqp://127.0.0.1/intake: accepted", "RECV attach", "SEND attach",
            "RECV transfer", "enqueued 1 message(s) on intake: id=m-1", "SEND transfer", "delivered intake seq=1 delivery-count=0",
            "RECV disposition", "disposition Complete on intake: Settled", "SEND disposition",
        ];
        int at = 0;
        foreach (string step in expected)
        {
            int found = log.Skip(at).ToList().FindIndex(line => line.Contains(step, StringComparison.Ordinal));
            Assert.True(found >= 0, $"'{step}' not found after line {at} of:\n{string.Join('\n', log)}");
            at += found + 1;
        }
    }

    /// <summary>The frame log once a line with <paramref name="then"/> follows one with <paramref name="first"/>, or as it is after 10 seconds.</summary>
    static async Task<IReadOnlyList<string>> FrameLogOnceAsync(TestNamespace sb, string first, string then)
    {
        using var enough = CancellationTokenSource.CreateLinkedTokenSource(Token);
        enough.CancelAfter(TimeSpan.FromSeconds(10));
        while (true)
        {
            IReadOnlyList<string> log = sb.Double.FrameLog();
            int at = log.ToList().FindIndex(line => line.Contains(first, StringComparison.Ordinal));
            if ((at >= 0 && log.Skip(at + 1).Any(line => line.Contains(then, StringComparison.Ordinal))) || enough.IsCancellationRequested)
            {
                return log;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20), Token);
        }
    }

    public void Dispose() => Directory.Delete(directory, recursive: true);
}
