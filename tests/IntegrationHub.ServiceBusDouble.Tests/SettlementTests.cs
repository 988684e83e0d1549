using Azure.Messaging.ServiceBus;
using Azure.Messaging.ServiceBus.Administration;

namespace IntegrationHub.ServiceBusDouble.Tests;

/// <summary>
/// The four settlements (learn.microsoft.com/azure/service-bus-messaging/message-transfers-locks-settlement),
/// deferral (message-deferral) and the dead-letter queue (service-bus-dead-letter-queues).
/// </summary>
public sealed class SettlementTests
{
    static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Complete_RemovesTheMessage()
    {
        await using TestNamespace sb = await TestNamespace.StartAsync("intake");
        await PeekLockTests.SendAsync(sb, "intake", "m-1");
        await using ServiceBusReceiver receiver = sb.Client.CreateReceiver("intake");

        await receiver.CompleteMessageAsync((await receiver.ReceiveMessageAsync(TimeSpan.FromSeconds(10), Token))!, Token);

        Assert.Empty(await receiver.PeekMessagesAsync(10, 1, Token));
        Assert.Equal(0, (await sb.Admin.GetQueueRuntimePropertiesAsync("intake", Token)).Value.TotalMessageCount);
    }

    [Fact]
    public async Task Abandon_MakesTheMessageAvailableAgain_WithItsPropertiesModified()
    {
        await using TestNamespace sb = await TestNamespace.StartAsync("intake");
        await PeekLockTests.SendAsync(sb, "intake", "m-1");
        await using ServiceBusReceiver receiver = sb.Client.CreateReceiver("intake");
        ServiceBusReceivedMessage first = (await receiver.ReceiveMessageAsync(TimeSpan.FromSeconds(10), Token))!;

        await receiver.AbandonMessageAsync(first, new Dictionary<string, object> { ["attempt"] = 1 }, Token);
        ServiceBusReceivedMessage second = (await receiver.ReceiveMessageAsync(TimeSpan.FromSeconds(10), Token))!;

        Assert.Equal("m-1", second.MessageId);
        Assert.Equal(2, second.DeliveryCount);
        Assert.Equal(1, second.ApplicationProperties["attempt"]);
    }

    [Fact]
    public async Task Defer_HidesTheMessageUntilItIsReceivedBySequenceNumber()
    {
        await using TestNamespace sb = await TestNamespace.StartAsync("intake");
        await PeekLockTests.SendAsync(sb, "intake", "m-1");
        await using ServiceBusReceiver receiver = sb.Client.CreateReceiver("intake");
        ServiceBusReceivedMessage message = (await receiver.ReceiveMessageAsync(TimeSpan.FromSeconds(10), Token))!;

        await receiver.DeferMessageAsync(message, cancellationToken: Token);
        Assert.Null(await receiver.ReceiveMessageAsync(TimeSpan.FromMilliseconds(300), Token));
        ServiceBusReceivedMessage deferred = (await receiver.ReceiveDeferredMessageAsync(message.SequenceNumber, Token))!;

        Assert.Equal("m-1", deferred.MessageId);
        Assert.Equal(ServiceBusMessageState.Deferred, deferred.State);
        Assert.Equal(2, deferred.DeliveryCount);
        await receiver.CompleteMessageAsync(deferred, Token);
        Assert.Empty(await receiver.PeekMessagesAsync(10, 1, Token));
    }

    [Fact]
    public async Task ReceiveDeferred_ForAMessageThatIsNotDeferred_FailsWithMessageNotFound()
    {
        await using TestNamespace sb = await TestNamespace.StartAsync("intake");
        await PeekLockTests.SendAsync(sb, "intake", "m-1");
        await using ServiceBusReceiver receiver = sb.Client.CreateReceiver("intake");

        var error = await Assert.ThrowsAsync<ServiceBusException>(() => receiver.ReceiveDeferredMessageAsync(1, Token));

        Assert.Equal(ServiceBusFailureReason.MessageNotFound, error.Reason);
    }

    [Fact]
    public async Task DeadLetter_MovesTheMessageToTheDeadLetterQueue_WithReasonAndDescription()
    {
        await using TestNamespace sb = await TestNamespace.StartAsync("intake");
        await PeekLockTests.SendAsync(sb, "intake", "m-1", body: "{\"bad\":true}");
        await using ServiceBusReceiver receiver = sb.Client.CreateReceiver("intake");
        ServiceBusReceivedMessage message = (await receiver.ReceiveMessageAsync(TimeSpan.FromSeconds(10), Token))!;

        await receiver.DeadLetterMessageAsync(message, "unreadable", "ChuHoSo is missing", Token);

        await using ServiceBusReceiver deadLetters = sb.Client.CreateReceiver("intake", new ServiceBusReceiverOptions { SubQueue = SubQueue.DeadLetter });
        ServiceBusReceivedMessage dead = (await deadLetters.ReceiveMessageAsync(TimeSpan.FromSeconds(10), Token))!;
        Assert.Equal("m-1", dead.MessageId);
        Assert.Equal("{\"bad\":true}", dead.Body.ToString());
        Assert.Equal("unreadable", dead.DeadLetterReason);
        Assert.Equal("ChuHoSo is missing", dead.DeadLetterErrorDescription);
        Assert.Equal(message.SequenceNumber, dead.SequenceNumber);
        QueueRuntimeProperties runtime = await sb.Admin.GetQueueRuntimePropertiesAsync("intake", Token);
        Assert.Equal((0, 1), (runtime.ActiveMessageCount, runtime.DeadLetterMessageCount));
        await deadLetters.CompleteMessageAsync(dead, Token);
        Assert.Equal(0, (await sb.Admin.GetQueueRuntimePropertiesAsync("intake", Token)).Value.DeadLetterMessageCount);
    }

    [Fact]
    public async Task AbandonBeyondMaxDeliveryCount_DeadLettersWithMaxDeliveryCountExceeded()
    {
        await using TestNamespace sb = await TestNamespace.StartAsync(null, ("intake", new QueueSettings { MaxDeliveryCount = 3 }));
        await PeekLockTests.SendAsync(sb, "intake", "m-1");
        await using ServiceBusReceiver receiver = sb.Client.CreateReceiver("intake");

        for (int delivery = 1; delivery <= 3; delivery++)
        {
            ServiceBusReceivedMessage message = (await receiver.ReceiveMessageAsync(TimeSpan.FromSeconds(10), Token))!;
            Assert.Equal(delivery, message.DeliveryCount);
            await receiver.AbandonMessageAsync(message, cancellationToken: Token);
        }

        Assert.Null(await receiver.ReceiveMessageAsync(TimeSpan.FromMilliseconds(300), Token));
        await using ServiceBusReceiver deadLetters = sb.Client.CreateReceiver("intake", new ServiceBusReceiverOptions { SubQueue = SubQueue.DeadLetter });
        ServiceBusReceivedMessage dead = (await deadLetters.ReceiveMessageAsync(TimeSpan.FromSeconds(10), Token))!;
        Assert.Equal("MaxDeliveryCountExceeded", dead.DeadLetterReason);
        Assert.Equal("m-1", dead.MessageId);
    }

    [Fact]
    public async Task DeadLetter_FromTheDeadLetterQueue_IsNotAllowed()
    {
        await using TestNamespace sb = await TestNamespace.StartAsync("intake");
        await PeekLockTests.SendAsync(sb, "intake", "m-1");
        await using ServiceBusReceiver receiver = sb.Client.CreateReceiver("intake");
        await receiver.DeadLetterMessageAsync((await receiver.ReceiveMessageAsync(TimeSpan.FromSeconds(10), Token))!, "first", cancellationToken: Token);
        await using ServiceBusReceiver deadLetters = sb.Client.CreateReceiver("intake", new ServiceBusReceiverOptions { SubQueue = SubQueue.DeadLetter });
        ServiceBusReceivedMessage dead = (await deadLetters.ReceiveMessageAsync(TimeSpan.FromSeconds(10), Token))!;

        await Assert.ThrowsAsync<InvalidOperationException>(() => deadLetters.DeadLetterMessageAsync(dead, "again", cancellationToken: Token));
    }
}
