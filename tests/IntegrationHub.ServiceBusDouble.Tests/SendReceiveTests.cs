using Azure.Messaging.ServiceBus;

namespace IntegrationHub.ServiceBusDouble.Tests;

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
        Assert.True(message.SequenceNumber > 0);
        Assert.NotEqual(Guid.Empty.ToString(), message.LockToken);
        await receiver.CompleteMessageAsync(message, Token);
    }
}
