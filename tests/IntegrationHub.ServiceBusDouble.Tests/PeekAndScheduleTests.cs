using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.Time.Testing;

namespace IntegrationHub.ServiceBusDouble.Tests;

/// <summary>
/// Browsing (learn.microsoft.com/azure/service-bus-messaging/message-browsing) and scheduled messages
/// (message-sequencing: "Scheduled messages do not materialize in the queue until the defined enqueue
/// time... As the message transitions to the active state, the message is appended to the queue as if
/// had been enqueued at the current instant, which includes assigning a new SequenceNumber").
/// </summary>
public sealed class PeekAndScheduleTests
{
    static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Peek_ReturnsMessagesInOrder_WithoutLockingThem()
    {
        await using TestNamespace sb = await TestNamespace.StartAsync("intake");
        for (int i = 1; i <= 3; i++)
        {
            await PeekLockTests.SendAsync(sb, "intake", $"m-{i}");
        }

        await using ServiceBusReceiver receiver = sb.Client.CreateReceiver("intake");
        IReadOnlyList<ServiceBusReceivedMessage> first = await receiver.PeekMessagesAsync(2, cancellationToken: Token);
        IReadOnlyList<ServiceBusReceivedMessage> next = await receiver.PeekMessagesAsync(2, cancellationToken: Token);

        Assert.Equal(["m-1", "m-2"], first.Select(m => m.MessageId));
        Assert.Equal(["m-3"], next.Select(m => m.MessageId));
        Assert.All(first, m => Assert.Equal(0, m.DeliveryCount));
        Assert.Equal("m-1", (await receiver.ReceiveMessageAsync(TimeSpan.FromSeconds(10), Token))?.MessageId);
    }

    [Fact]
    public async Task Peek_ManyMoreTimesThanTheNodesCredit_EveryRequestIsAnswered()
    {
        // The SDK sends $management and $cbs requests pre-settled: the namespace must give back the
        // credit of each, or a client stalls after the node's first credit (50) is spent.
        await using TestNamespace sb = await TestNamespace.StartAsync("intake");
        await PeekLockTests.SendAsync(sb, "intake", "m-1");
        await using ServiceBusReceiver receiver = sb.Client.CreateReceiver("intake");

        int answered = 0;
        for (int i = 0; i < 120; i++)
        {
            IReadOnlyList<ServiceBusReceivedMessage> peeked = await receiver.PeekMessagesAsync(1, 1, Token).WaitAsync(TimeSpan.FromSeconds(10), Token);
            answered += peeked.Count;
        }

        Assert.Equal(120, answered);
    }

    [Fact]
    public async Task ScheduleMessage_ArrivesOnlyAtItsTime_WithANewSequenceNumber()
    {
        FakeTimeProvider clock = TestNamespace.NewClock();
        await using TestNamespace sb = await TestNamespace.StartAsync(clock, ("status", null));
        await using ServiceBusSender sender = sb.Client.CreateSender("status");
        DateTimeOffset at = clock.GetUtcNow().AddMinutes(10);

        long scheduled = await sender.ScheduleMessageAsync(new ServiceBusMessage("later") { MessageId = "s-1" }, at, Token);

        await using ServiceBusReceiver receiver = sb.Client.CreateReceiver("status");
        ServiceBusReceivedMessage peeked = (await receiver.PeekMessageAsync(scheduled, Token))!;
        Assert.Equal(ServiceBusMessageState.Scheduled, peeked.State);
        Assert.Equal(at, peeked.ScheduledEnqueueTime);
        Assert.Equal(1, (await sb.Admin.GetQueueRuntimePropertiesAsync("status", Token)).Value.ScheduledMessageCount);
        Assert.Null(await receiver.ReceiveMessageAsync(TimeSpan.FromMilliseconds(300), Token));

        clock.Advance(TimeSpan.FromMinutes(10));
        ServiceBusReceivedMessage message = (await receiver.ReceiveMessageAsync(TimeSpan.FromSeconds(10), Token))!;

        Assert.Equal("s-1", message.MessageId);
        Assert.NotEqual(scheduled, message.SequenceNumber);
        Assert.Equal(at, message.EnqueuedTime);
        Assert.Equal(ServiceBusMessageState.Active, message.State);
    }

    [Fact]
    public async Task SendWithScheduledEnqueueTime_IsScheduledToo()
    {
        FakeTimeProvider clock = TestNamespace.NewClock();
        await using TestNamespace sb = await TestNamespace.StartAsync(clock, ("status", null));
        await using ServiceBusSender sender = sb.Client.CreateSender("status");
        await sender.SendMessageAsync(new ServiceBusMessage("later") { MessageId = "s-1", ScheduledEnqueueTime = clock.GetUtcNow().AddMinutes(1) }, Token);
        await using ServiceBusReceiver receiver = sb.Client.CreateReceiver("status");

        Assert.Null(await receiver.ReceiveMessageAsync(TimeSpan.FromMilliseconds(300), Token));
        clock.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal("s-1", (await receiver.ReceiveMessageAsync(TimeSpan.FromSeconds(10), Token))?.MessageId);
    }

    [Fact]
    public async Task CancelScheduledMessage_DeletesIt()
    {
        FakeTimeProvider clock = TestNamespace.NewClock();
        await using TestNamespace sb = await TestNamespace.StartAsync(clock, ("status", null));
        await using ServiceBusSender sender = sb.Client.CreateSender("status");
        long scheduled = await sender.ScheduleMessageAsync(new ServiceBusMessage("later"), clock.GetUtcNow().AddMinutes(5), Token);

        await sender.CancelScheduledMessageAsync(scheduled, Token);
        clock.Advance(TimeSpan.FromMinutes(6));

        await using ServiceBusReceiver receiver = sb.Client.CreateReceiver("status");
        Assert.Null(await receiver.ReceiveMessageAsync(TimeSpan.FromMilliseconds(300), Token));
        Assert.Equal(0, (await sb.Admin.GetQueueRuntimePropertiesAsync("status", Token)).Value.TotalMessageCount);
    }

    [Fact]
    public async Task CancelScheduledMessage_WithAnUnknownSequenceNumber_FailsWithMessageNotFound()
    {
        await using TestNamespace sb = await TestNamespace.StartAsync("status");
        await using ServiceBusSender sender = sb.Client.CreateSender("status");

        var error = await Assert.ThrowsAsync<ServiceBusException>(() => sender.CancelScheduledMessageAsync(42, Token));

        Assert.Equal(ServiceBusFailureReason.MessageNotFound, error.Reason);
    }
}
