using IntegrationHub.Core.Messaging;
using IntegrationHub.Runtime.Queues;
using IntegrationHub.Runtime.Store;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;

namespace IntegrationHub.Runtime.RabbitMq;

/// <summary>
/// What the RabbitMQ transport's roles do to the broker's queues and to the store beside it:
/// declaring a queue with its dead-letter queue, publishing (declaring again a queue the broker lost),
/// dead-lettering a delivery, handing a message id's duplicate claim to a copy about to be published
/// again, and scheduling a copy in the outbox. Whoever writes to the outbox notifies the relay.
/// </summary>
internal sealed class RabbitMqQueues(
    RabbitMqConnections connections,
    RabbitMqPublisher publisher,
    QueueRegistry registry,
    IHubStore store,
    IOptions<MessagingOptions> options,
    TimeProvider time)
{
    private static readonly Dictionary<string, object?> QuorumQueue = new() { ["x-queue-type"] = "quorum" };

    /// <summary>Declares the durable quorum queue and its dead-letter queue on the broker.</summary>
    public async Task DeclareAsync(string queue, CancellationToken cancellationToken)
    {
        var connection = await connections.GetAsync(RabbitMqConnections.Consuming, cancellationToken);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, arguments: QuorumQueue, cancellationToken: cancellationToken);
        await channel.QueueDeclareAsync(QueueNames.DeadLetterOf(queue), durable: true, exclusive: false, autoDelete: false, arguments: QuorumQueue, cancellationToken: cancellationToken);
    }

    /// <summary>Publishes; a queue the registry knows but the broker lost (a new broker) is declared again once.</summary>
    public async Task PublishAsync(string queue, IReadOnlyList<(BasicProperties Properties, ReadOnlyMemory<byte> Body)> batch, CancellationToken cancellationToken)
    {
        try
        {
            await publisher.PublishAsync(queue, batch, cancellationToken);
        }
        catch (UnroutableException)
        {
            await registry.EnsureKnownAsync(queue, cancellationToken);
            await DeclareAsync(QueueNames.SourceOf(queue), cancellationToken);
            await publisher.PublishAsync(queue, batch, cancellationToken);
        }
    }

    /// <summary>Publishes a delivery to its queue's dead-letter queue with the reason, description and source.</summary>
    public async Task PublishDeadLetterAsync(string queue, RabbitMqReceiver.Delivery delivery, string reason, string? description, CancellationToken cancellationToken)
    {
        var properties = RabbitMqMessages.Republish(delivery.Properties, delivery.Message.DeliveryCount - 1, [
            new(RabbitMqMessages.ReasonHeader, reason),
            new(RabbitMqMessages.DescriptionHeader, description),
            new(RabbitMqMessages.SourceHeader, queue),
            new(RabbitMqMessages.DeadLetteredHeader, time.GetUtcNow().ToUnixTimeMilliseconds())]);
        await PublishAsync(QueueNames.DeadLetterOf(queue), [(properties, delivery.Message.Body)], cancellationToken);
    }

    /// <summary>
    /// Publishes a dead letter back to its source queue as a new copy that takes the message id's
    /// duplicate claim over, so that it is delivered as a first delivery (any older copy still about is
    /// then dropped); the inbox guards the effect.
    /// </summary>
    public async Task RepublishAsync(string source, IReadOnlyBasicProperties original, string messageId, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var copy = RabbitMqMessages.NewCopyId();
        await HandOverClaimAsync(source, messageId, copy, cancellationToken);
        var properties = RabbitMqMessages.Republish(original, 0, [
            new(RabbitMqMessages.CopyHeader, copy),
            new(RabbitMqMessages.EnqueuedHeader, time.GetUtcNow().ToUnixTimeMilliseconds()),
            new(RabbitMqMessages.SequenceHeader, RabbitMqMessages.NextSequence(time))]);
        await PublishAsync(source, [(properties, body)], cancellationToken);
    }

    /// <summary>Keeps a message sent for later in the outbox until <paramref name="dueAt"/>.</summary>
    public Task ScheduleAsync(string queue, OutgoingMessage message, DateTimeOffset dueAt, CancellationToken cancellationToken) =>
        WriteOutboxAsync(queue, message, 0, dueAt, handOverClaim: false, cancellationToken);

    /// <summary>
    /// Keeps a message abandoned with a delay in the outbox until the delay has passed, as a new copy
    /// that takes the message id's duplicate claim over and carries its deliveries so far.
    /// </summary>
    public Task DelayAsync(string queue, OutgoingMessage message, int deliveries, TimeSpan delay, CancellationToken cancellationToken) =>
        WriteOutboxAsync(queue, message, deliveries, time.GetUtcNow() + delay, handOverClaim: true, cancellationToken);

    private Task WriteOutboxAsync(string queue, OutgoingMessage message, int deliveries, DateTimeOffset dueAt, bool handOverClaim, CancellationToken cancellationToken)
    {
        var copy = RabbitMqMessages.NewCopyId();
        var now = time.GetUtcNow();
        return store.WriteAsync(
            async (connection, token) =>
            {
                if (handOverClaim)
                {
                    await OutboxRows.HandOverClaimAsync(connection, queue, message.MessageId, copy, now + options.Value.DuplicateDetectionWindow, token);
                }

                await OutboxRows.InsertAsync(connection, new OutboxEntry(queue, message, copy, deliveries, dueAt), token);
                return true;
            },
            cancellationToken);
    }

    private Task HandOverClaimAsync(string queue, string messageId, string copy, CancellationToken cancellationToken) =>
        store.WriteAsync(
            async (connection, token) =>
            {
                await OutboxRows.HandOverClaimAsync(connection, queue, messageId, copy, time.GetUtcNow() + options.Value.DuplicateDetectionWindow, token);
                return true;
            },
            cancellationToken);
}
