using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.Time.Testing;

namespace IntegrationHub.ServiceBusDouble.Tests;

/// <summary>
/// Peek-lock as learn.microsoft.com/azure/service-bus-messaging/message-transfers-locks-settlement
/// describes it: the lock lasts the queue's LockDuration, can be renewed, and when it expires the
/// message is available again with its delivery count incremented; a settlement with the expired
/// lock fails with MessageLockLost.
/// </summary>
public sealed class PeekLockTests
{
    static readonly QueueSettings ThirtySecondLock = new() { LockDuration = TimeSpan.FromSeconds(30) };

    static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Receive_LocksTheMessageForTheQueuesLockDuration()
    {
        FakeTimeProvider clock = TestNamespace.NewClock();
        await using TestNamespace sb = await TestNamespace.StartAsync(clock, ("intake", ThirtySecondLock));
        await SendAsync(sb, "intake", "m-1");
        await using ServiceBusReceiver receiver = sb.Client.CreateReceiver("intake");

        ServiceBusReceivedMessage message = (await receiver.ReceiveMessageAsync(TimeSpan.FromSeconds(10), Token))!;

        Assert.Equal(clock.GetUtcNow() + TimeSpan.FromSeconds(30), message.LockedUntil);
        Assert.Equal(clock.GetUtcNow(), message.EnqueuedTime);
        Assert.Null(await receiver.ReceiveMessageAsync(TimeSpan.FromMilliseconds(300), Token));
    }

    [Fact]
    public async Task RenewMessageLock_ExtendsTheLockFromNow()
    {
        FakeTimeProvider clock = TestNamespace.NewClock();
        await using TestNamespace sb = await TestNamespace.StartAsync(clock, ("intake", ThirtySecondLock));
        await SendAsync(sb, "intake", "m-1");
        await using ServiceBusReceiver receiver = sb.Client.CreateReceiver("intake");
        ServiceBusReceivedMessage message = (await receiver.ReceiveMessageAsync(TimeSpan.FromSeconds(10), Token))!;

        clock.Advance(TimeSpan.FromSeconds(20));
        await receiver.RenewMessageLockAsync(message, Token);
        clock.Advance(TimeSpan.FromSeconds(20));

        Assert.Equal(clock.GetUtcNow() + TimeSpan.FromSeconds(10), message.LockedUntil);
        await receiver.CompleteMessageAsync(message, Token);
        Assert.Empty(await receiver.PeekMessagesAsync(10, 1, Token));
    }

    [Fact]
    public async Task LockExpiry_RedeliversWithAHigherDeliveryCount_AndTheStaleLockIsLost()
    {
        FakeTimeProvider clock = TestNamespace.NewClock();
        await using TestNamespace sb = await TestNamespace.StartAsync(clock, ("intake", ThirtySecondLock));
        await SendAsync(sb, "intake", "m-1");
        await using ServiceBusReceiver receiver = sb.Client.CreateReceiver("intake");
        ServiceBusReceivedMessage first = (await receiver.ReceiveMessageAsync(TimeSpan.FromSeconds(10), Token))!;

        clock.Advance(TimeSpan.FromSeconds(31));
        ServiceBusReceivedMessage second = (await receiver.ReceiveMessageAsync(TimeSpan.FromSeconds(10), Token))!;

        Assert.Equal("m-1", second.MessageId);
        Assert.Equal(1, first.DeliveryCount);
        Assert.Equal(2, second.DeliveryCount);
        Assert.NotEqual(first.LockToken, second.LockToken);
        var error = await Assert.ThrowsAsync<ServiceBusException>(() => receiver.CompleteMessageAsync(first, Token));
        Assert.Equal(ServiceBusFailureReason.MessageLockLost, error.Reason);
        await receiver.CompleteMessageAsync(second, Token);
    }

    [Fact]
    public async Task LockExpiry_OfAMessageDeliveredWhenCreditArrives_RedeliversWithinTheCreditAlreadyGiven()
    {
        // The message waits in the queue until the receiver's link gives credit; the receiver then keeps
        // the rest of its prefetch credit open, so nothing but the lock's own expiry can bring it back.
        FakeTimeProvider clock = TestNamespace.NewClock();
        await using TestNamespace sb = await TestNamespace.StartAsync(clock, ("intake", ThirtySecondLock));
        await SendAsync(sb, "intake", "m-1");
        await using ServiceBusReceiver receiver = sb.Client.CreateReceiver("intake", new ServiceBusReceiverOptions { PrefetchCount = 10 });
        ServiceBusReceivedMessage first = (await receiver.ReceiveMessageAsync(TimeSpan.FromSeconds(10), Token))!;

        clock.Advance(TimeSpan.FromSeconds(31));
        ServiceBusReceivedMessage? second = await receiver.ReceiveMessageAsync(TimeSpan.FromSeconds(10), Token);

        Assert.Equal(1, first.DeliveryCount);
        Assert.NotNull(second);
        Assert.Equal(2, second.DeliveryCount);
        await receiver.CompleteMessageAsync(second, Token);
    }

    [Fact]
    public async Task RenewMessageLock_AfterExpiry_FailsWithMessageLockLost()
    {
        FakeTimeProvider clock = TestNamespace.NewClock();
        await using TestNamespace sb = await TestNamespace.StartAsync(clock, ("intake", ThirtySecondLock));
        await SendAsync(sb, "intake", "m-1");
        await using ServiceBusReceiver receiver = sb.Client.CreateReceiver("intake");
        ServiceBusReceivedMessage message = (await receiver.ReceiveMessageAsync(TimeSpan.FromSeconds(10), Token))!;

        clock.Advance(TimeSpan.FromSeconds(31));

        var error = await Assert.ThrowsAsync<ServiceBusException>(() => receiver.RenewMessageLockAsync(message, Token));
        Assert.Equal(ServiceBusFailureReason.MessageLockLost, error.Reason);
    }

    internal static async Task SendAsync(TestNamespace sb, string queue, string messageId, string body = "payload")
    {
        await using ServiceBusSender sender = sb.Client.CreateSender(queue);
        await sender.SendMessageAsync(new ServiceBusMessage(body) { MessageId = messageId }, Token);
    }
}
