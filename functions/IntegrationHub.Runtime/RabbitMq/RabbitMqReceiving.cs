using IntegrationHub.Core.Messaging;
using IntegrationHub.Runtime.Queues;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;

namespace IntegrationHub.Runtime.RabbitMq;

/// <summary>
/// Receives on the RabbitMQ transport from this process's consumer of the queue, under a lock this
/// process keeps; peeks read without acknowledging and close the channel, which returns what they read.
/// </summary>
internal sealed class RabbitMqReceiving(
    RabbitMqConsumers consumers,
    RabbitMqConnections connections,
    IBrokerStore broker,
    QueueRegistry registry,
    IOptions<MessagingOptions> options,
    ILogger<RabbitMqReceiving> logger) : IQueueReceiver
{
    public async Task<IReadOnlyList<ReceivedMessage>> ReceiveAsync(string queue, int maxMessages, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessages, 1);
        await registry.EnsureKnownAsync(queue, cancellationToken);
        var receiver = consumers.Of(queue);
        await receiver.StartAsync(cancellationToken);
        var deliveries = await receiver.TakeAsync(maxMessages, maxWait, cancellationToken);
        return deliveries.Select(d => receiver.Lock(d, options.Value.LockDuration)).ToList();
    }

    public async Task<IReadOnlyList<ReceivedMessage>> PeekAsync(string queue, long fromSequenceNumber, int maxMessages, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessages, 1);
        await registry.EnsureKnownAsync(queue, cancellationToken);
        var connection = await connections.GetAsync(RabbitMqConnections.Consuming, cancellationToken);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        var peeked = new List<ReceivedMessage>();
        var copies = new List<ReceivedCopy>();
        // AMQP has no peek: read without acknowledging, then close the channel, which returns them all.
        // The broker counts each read as a delivery, so the reads are recorded and subtracted on receipt.
        var deadLetters = QueueNames.IsDeadLetter(queue) ? new HashSet<string>(StringComparer.Ordinal) : null;
        while (peeked.Count < maxMessages && await channel.BasicGetAsync(queue, autoAck: false, cancellationToken) is { } got)
        {
            var message = RabbitMqMessages.Read(queue, got.BasicProperties, got.Body.ToArray());
            var copy = RabbitMqMessages.CopyOf(got.BasicProperties);
            // Nothing consumes a dead-letter queue to drop duplicates, so a dead letter published twice
            // (a relay that died between the broker's confirm and its delete, or a consumer between
            // publishing a dead letter and acknowledging its message) is removed when it is first seen.
            if (deadLetters is not null && copy.Length > 0 && !deadLetters.Add(copy))
            {
                await channel.BasicAckAsync(got.DeliveryTag, multiple: false, cancellationToken);
                Log.DuplicateDropped(logger, message.MessageId, queue);
                continue;
            }

            copies.Add(new ReceivedCopy(message.MessageId, copy, message.EnqueuedTimeUtc, got.Redelivered));
            if (message.SequenceNumber >= fromSequenceNumber)
            {
                peeked.Add(message with { DeliveryCount = message.DeliveryCount - 1 });
            }
        }

        if (copies.Count > 0 && deadLetters is null)
        {
            await broker.RecordPeeksAsync(queue, copies, options.Value.DuplicateDetectionWindow, cancellationToken);
        }

        await channel.CloseAsync(cancellationToken);
        return peeked;
    }
}
