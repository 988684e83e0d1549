using Azure.Messaging.ServiceBus;

namespace IntegrationHub.ServiceBusDouble.Tests;

/// <summary>
/// Settling a lock token the receive link no longer holds: the SDK's AmqpReceiver finds no delivery
/// for the token on its link and settles through <c>$management update-disposition</c> instead
/// (learn.microsoft.com/azure/service-bus-messaging/service-bus-amqp-request-response, "Update disposition status").
/// A namespace honours the lock wherever the settlement comes from, until the lock expires.
/// </summary>
public sealed class ManagementSettlementTests
{
    static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Complete_AfterTheReceiveLinkClosed_SettlesThroughManagement()
    {
        await using TestNamespace sb = await TestNamespace.StartAsync("deliver");
        await PeekLockTests.SendAsync(sb, "deliver", "m-1");
        ServiceBusReceivedMessage message = await ReceiveAndCloseAsync(sb, "deliver");

        await using ServiceBusReceiver other = sb.Client.CreateReceiver("deliver");
        await other.CompleteMessageAsync(message, Token);

        Assert.Empty(await other.PeekMessagesAsync(10, 1, Token));
        Assert.Contains(sb.Double.FrameLog(), line => line.Contains("com.microsoft:update-disposition on deliver: 200", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DeadLetter_FromAnotherConnection_SettlesThroughManagement()
    {
        await using TestNamespace sb = await TestNamespace.StartAsync("deliver");
        await PeekLockTests.SendAsync(sb, "deliver", "m-1");
        ServiceBusReceivedMessage message = await ReceiveAndCloseAsync(sb, "deliver");

        await using var otherClient = new ServiceBusClient(sb.Double.ConnectionString, TestNamespace.ClientOptions());
        await using ServiceBusReceiver other = otherClient.CreateReceiver("deliver");
        await other.DeadLetterMessageAsync(message, "rejected-by-department", "unknown procedure", Token);

        await using ServiceBusReceiver deadLetters = sb.Client.CreateReceiver("deliver", new ServiceBusReceiverOptions { SubQueue = SubQueue.DeadLetter });
        ServiceBusReceivedMessage dead = (await deadLetters.ReceiveMessageAsync(TimeSpan.FromSeconds(10), Token))!;
        Assert.Equal(("m-1", "rejected-by-department", "unknown procedure"), (dead.MessageId, dead.DeadLetterReason, dead.DeadLetterErrorDescription));
    }

    [Fact]
    public async Task Abandon_AfterTheReceiveLinkClosed_MakesTheMessageAvailable()
    {
        await using TestNamespace sb = await TestNamespace.StartAsync("deliver");
        await PeekLockTests.SendAsync(sb, "deliver", "m-1");
        ServiceBusReceivedMessage message = await ReceiveAndCloseAsync(sb, "deliver");

        await using ServiceBusReceiver other = sb.Client.CreateReceiver("deliver");
        await other.AbandonMessageAsync(message, cancellationToken: Token);
        ServiceBusReceivedMessage again = (await other.ReceiveMessageAsync(TimeSpan.FromSeconds(10), Token))!;

        Assert.Equal(("m-1", 2), (again.MessageId, again.DeliveryCount));
    }

    [Fact]
    public async Task Complete_AfterTheLockExpired_FailsWithMessageLockLost()
    {
        var clock = TestNamespace.NewClock();
        await using TestNamespace sb = await TestNamespace.StartAsync(clock, ("deliver", new QueueSettings { LockDuration = TimeSpan.FromSeconds(30) }));
        await PeekLockTests.SendAsync(sb, "deliver", "m-1");
        ServiceBusReceivedMessage message = await ReceiveAndCloseAsync(sb, "deliver");
        clock.Advance(TimeSpan.FromSeconds(31));

        await using ServiceBusReceiver other = sb.Client.CreateReceiver("deliver");
        var error = await Assert.ThrowsAsync<ServiceBusException>(() => other.CompleteMessageAsync(message, Token));

        Assert.Equal(ServiceBusFailureReason.MessageLockLost, error.Reason);
        Assert.Single(await other.PeekMessagesAsync(10, 1, Token));
    }

    static async Task<ServiceBusReceivedMessage> ReceiveAndCloseAsync(TestNamespace sb, string queue)
    {
        await using ServiceBusReceiver receiver = sb.Client.CreateReceiver(queue);
        return (await receiver.ReceiveMessageAsync(TimeSpan.FromSeconds(10), Token))!;
    }
}
