using System.Transactions;
using Azure.Messaging.ServiceBus;

namespace IntegrationHub.ServiceBusDouble.Tests;

/// <summary>
/// What the double leaves out (sessions, transactions, topics) it refuses with an AMQP error the SDK
/// surfaces, rather than half-serving it.
/// </summary>
public sealed class RefusalTests
{
    static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SessionReceiver_IsRefusedAsNotSupported()
    {
        await using TestNamespace sb = await TestNamespace.StartAsync("intake");

        await Assert.ThrowsAsync<NotSupportedException>(() => sb.Client.AcceptSessionAsync("intake", "session-1", cancellationToken: Token));
    }

    [Fact]
    public async Task TransactionalSend_IsRefusedAsNotSupported()
    {
        await using TestNamespace sb = await TestNamespace.StartAsync("intake");
        await using ServiceBusSender sender = sb.Client.CreateSender("intake");
        await sender.SendMessageAsync(new ServiceBusMessage("outside"), Token);

        using (var scope = new TransactionScope(TransactionScopeAsyncFlowOption.Enabled))
        {
            var error = await Assert.ThrowsAnyAsync<Exception>(() => sender.SendMessageAsync(new ServiceBusMessage("inside"), Token));

            // The refusal is amqp:not-implemented, which the SDK surfaces as NotSupportedException. When the
            // double's detach reaches the client before azure-amqp's Controller has returned from opening its
            // link (loopback is that fast), the Controller counts itself open (its OpenInternal returns the
            // link's IsCompleted) and the SDK fails the declare on the closed link instead: a refusal too.
            Assert.True(
                error is NotSupportedException || error is ServiceBusException { Reason: ServiceBusFailureReason.GeneralError } && error.Message.Contains("is closed", StringComparison.Ordinal),
                $"The transactional send was not refused as unsupported: {error}");
        }

        await using ServiceBusReceiver receiver = sb.Client.CreateReceiver("intake");
        Assert.Single(await receiver.PeekMessagesAsync(10, 1, Token));
    }

    [Fact]
    public async Task SubscriptionReceiver_FindsNoEntity()
    {
        await using TestNamespace sb = await TestNamespace.StartAsync("intake");
        await using ServiceBusReceiver receiver = sb.Client.CreateReceiver("topic", "subscription");

        var error = await Assert.ThrowsAsync<ServiceBusException>(() => receiver.ReceiveMessageAsync(TimeSpan.FromSeconds(2), Token));

        Assert.Equal(ServiceBusFailureReason.MessagingEntityNotFound, error.Reason);
    }
}
