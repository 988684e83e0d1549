using Azure.Messaging.ServiceBus;

namespace IntegrationHub.ServiceBusDouble.Tests;

/// <summary>
/// Sending and receiving as learn.microsoft.com/azure/service-bus-messaging/service-bus-messaging-overview
/// and service-bus-quotas describe them: FIFO sequence numbers, batches, the 256 KB Standard-tier limit.
/// </summary>
public sealed class SendReceiveTests
{
    static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SendMessage_ThenReceive_ArrivesWithBodyPropertiesAndBrokerAnnotations()
    {
        await using TestNamespace sb = await TestNamespace.StartAsync("intake");
        await using ServiceBusSender sender = sb.Client.CreateSender("intake");
        await sender.SendMessageAsync(new ServiceBusMessage("hello") { MessageId = "m-1", Subject = "greeting", ApplicationProperties = { ["dossier"] = "G22.99-1" } }, Token);

        await using ServiceBusReceiver receiver = sb.Client.CreateReceiver("intake");
        ServiceBusReceivedMessage? message = await receiver.ReceiveMessageAsync(TimeSpan.FromSeconds(10), Token);

        Assert.NotNull(message);
        Assert.Equal("hello", message.Body.ToString());
        Assert.Equal("m-1", message.MessageId);
        Assert.Equal("greeting", message.Subject);
        Assert.Equal("G22.99-1", message.ApplicationProperties["dossier"]);
        Assert.Equal(1, message.DeliveryCount);
        Assert.Equal(1, message.SequenceNumber);
        Assert.NotEqual(Guid.Empty.ToString(), message.LockToken);
        await receiver.CompleteMessageAsync(message, Token);
    }

    [Fact]
    public async Task SendBatch_ThenReceive_AllArriveInOrderWithIncreasingSequenceNumbers()
    {
        await using TestNamespace sb = await TestNamespace.StartAsync("route");
        await using ServiceBusSender sender = sb.Client.CreateSender("route");
        using ServiceBusMessageBatch batch = await sender.CreateMessageBatchAsync(Token);
        for (int i = 0; i < 20; i++)
        {
            Assert.True(batch.TryAddMessage(new ServiceBusMessage($"dossier {i}") { MessageId = $"d-{i}" }));
        }

        await sender.SendMessagesAsync(batch, Token);

        await using ServiceBusReceiver receiver = sb.Client.CreateReceiver("route", new ServiceBusReceiverOptions { ReceiveMode = ServiceBusReceiveMode.ReceiveAndDelete });
        var received = new List<ServiceBusReceivedMessage>();
        while (received.Count < 20 && await receiver.ReceiveMessagesAsync(20, TimeSpan.FromSeconds(5), Token) is { Count: > 0 } some)
        {
            received.AddRange(some);
        }

        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"d-{i}"), received.Select(m => m.MessageId));
        Assert.Equal(Enumerable.Range(1, 20).Select(i => (long)i), received.Select(m => m.SequenceNumber));
    }

    [Fact]
    public async Task CreateMessageBatch_ReadsTheStandardTierLimitFromTheAttach()
    {
        await using TestNamespace sb = await TestNamespace.StartAsync("route");
        await using ServiceBusSender sender = sb.Client.CreateSender("route");

        using ServiceBusMessageBatch batch = await sender.CreateMessageBatchAsync(Token);

        Assert.Equal(256 * 1024, batch.MaxSizeInBytes);
        Assert.False(batch.TryAddMessage(new ServiceBusMessage(new byte[300 * 1024])));
    }

    [Fact]
    public async Task SendMessage_LargerThan256KiB_FailsWithMessageSizeExceeded()
    {
        await using TestNamespace sb = await TestNamespace.StartAsync("route");
        await using ServiceBusSender sender = sb.Client.CreateSender("route");

        var error = await Assert.ThrowsAsync<ServiceBusException>(() => sender.SendMessageAsync(new ServiceBusMessage(new byte[257 * 1024]), Token));

        Assert.Equal(ServiceBusFailureReason.MessageSizeExceeded, error.Reason);
    }

    [Fact]
    public async Task SendAndReceive_OnAnUndeclaredQueue_FailWithMessagingEntityNotFound()
    {
        await using TestNamespace sb = await TestNamespace.StartAsync("route");
        await using ServiceBusSender sender = sb.Client.CreateSender("nowhere");
        await using ServiceBusReceiver receiver = sb.Client.CreateReceiver("nowhere");

        var sendError = await Assert.ThrowsAsync<ServiceBusException>(() => sender.SendMessageAsync(new ServiceBusMessage("x"), Token));
        var receiveError = await Assert.ThrowsAsync<ServiceBusException>(() => receiver.ReceiveMessageAsync(TimeSpan.FromSeconds(2), Token));

        Assert.Equal(ServiceBusFailureReason.MessagingEntityNotFound, sendError.Reason);
        Assert.Equal(ServiceBusFailureReason.MessagingEntityNotFound, receiveError.Reason);
    }

    [Fact]
    public async Task QueueNames_AreCaseInsensitive()
    {
        await using TestNamespace sb = await TestNamespace.StartAsync("intake");
        await using ServiceBusSender sender = sb.Client.CreateSender("INTAKE");
        await sender.SendMessageAsync(new ServiceBusMessage("x") { MessageId = "upper" }, Token);

        await using ServiceBusReceiver receiver = sb.Client.CreateReceiver("Intake");
        ServiceBusReceivedMessage? message = await receiver.ReceiveMessageAsync(TimeSpan.FromSeconds(10), Token);

        Assert.Equal("upper", message?.MessageId);
    }

    [Fact]
    public async Task ReceiveAndDelete_RemovesTheMessageAsItIsReceived()
    {
        await using TestNamespace sb = await TestNamespace.StartAsync("intake");
        await using ServiceBusSender sender = sb.Client.CreateSender("intake");
        await sender.SendMessageAsync(new ServiceBusMessage("x"), Token);

        await using ServiceBusReceiver receiver = sb.Client.CreateReceiver("intake", new ServiceBusReceiverOptions { ReceiveMode = ServiceBusReceiveMode.ReceiveAndDelete });
        Assert.NotNull(await receiver.ReceiveMessageAsync(TimeSpan.FromSeconds(10), Token));

        Assert.Empty(await receiver.PeekMessagesAsync(10, fromSequenceNumber: 1, Token));
        Assert.Null(await receiver.ReceiveMessageAsync(TimeSpan.FromMilliseconds(300), Token));
    }
}
