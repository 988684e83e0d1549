using IntegrationHub.Core.Messaging;
using IntegrationHub.Runtime.RabbitMq;
using IntegrationHub.Runtime.Store;
using Microsoft.Extensions.DependencyInjection;
using static IntegrationHub.Runtime.Tests.Conformance.Messages;

namespace IntegrationHub.Runtime.Tests.Conformance;

/// <summary>
/// What the broker transports (RabbitMQ, Azure Service Bus) must also do, whichever store keeps their
/// outbox and their claims.
/// </summary>
public abstract class BrokerConformanceTests : QueueConformanceTests
{
    /// <summary>
    /// After a dead letter was relayed from the outbox: on Service Bus, where no sender can put a message
    /// into a dead-letter queue, it is sent to its queue and the queue's next receiver moves it there.
    /// </summary>
    protected virtual Task PassOverTheQueueAsync() => Task.CompletedTask;

    [Fact]
    public async Task Outbox_ARowPublishedAgainAfterItsDelivery_IsDroppedAsADuplicate()
    {
        // What happens when a relay dies between the broker's confirm and its delete: another relay
        // publishes the same row, the same copy, once the first one's claim has run out.
        var entry = new OutboxEntry(Queue, Create("route:1"), RabbitMqMessages.NewCopyId(), 0, Clock.GetUtcNow());
        await PublishThroughTheOutboxAsync(entry);
        var first = await ReceiveOneAsync();
        await Client.CompleteAsync(first, CancellationToken.None);

        await PublishThroughTheOutboxAsync(entry);
        var again = await DrainAsync(Client, Queue);

        Assert.Equal("route:1", first.MessageId);
        Assert.Empty(again);
    }

    [Fact]
    public async Task Outbox_ARowPublishedTwiceAtOnce_IsDeliveredOnce()
    {
        var entry = new OutboxEntry(Queue, Create("route:1"), RabbitMqMessages.NewCopyId(), 0, Clock.GetUtcNow());
        await PublishThroughTheOutboxAsync(entry, entry);

        var delivered = await DrainAsync(Client, Queue);

        Assert.Equal(["route:1"], delivered.Select(m => m.MessageId));
    }

    [Fact]
    public async Task Outbox_ADeadLetterPublishedTwice_IsSeenOnceInTheDeadLetterQueue()
    {
        var deadLetterQueue = QueueNames.DeadLetterOf(Queue);
        var letter = RabbitMqMessages.AsDeadLetter(Create("route:1"), Queue, "RoutingFailed", "UnknownProcedure", Clock.GetUtcNow());
        var entry = new OutboxEntry(deadLetterQueue, letter, RabbitMqMessages.NewCopyId(), 0, Clock.GetUtcNow());
        await PublishThroughTheOutboxAsync(entry, entry);
        await PassOverTheQueueAsync();

        var first = await Client.PeekAsync(deadLetterQueue, 0, 10, CancellationToken.None);
        var second = await Client.PeekAsync(deadLetterQueue, 0, 10, CancellationToken.None);

        Assert.Equal(["route:1"], first.Select(m => m.MessageId));
        Assert.Equal("RoutingFailed", first[0].DeadLetterReason);
        Assert.Equal(["route:1"], second.Select(m => m.MessageId));
    }

    private async Task PublishThroughTheOutboxAsync(params OutboxEntry[] entries)
    {
        await Hub.Services.GetRequiredService<IHubStore>().WriteAsync(
            async (connection, token) =>
            {
                foreach (var entry in entries)
                {
                    await OutboxRows.InsertAsync(connection, entry, token);
                }

                return true;
            },
            CancellationToken.None);
        Hub.Services.GetRequiredService<OutboxRelay>().Notify();
        await WaitUntilAsync(async () => await Hub.ScalarAsync("SELECT COUNT(*) FROM hub_outbox") == 0, TimeSpan.FromSeconds(15), "the relay to publish the outbox");
    }
}
