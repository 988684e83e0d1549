using IntegrationHub.Core.Messaging;
using IntegrationHub.Runtime.Queues;
using RabbitMQ.Client;

namespace IntegrationHub.Runtime.RabbitMq;

/// <summary>
/// Replays RabbitMQ dead letters: a locked one (received from its dead-letter queue by this process),
/// or one a peek found, which the broker cannot take by position: the dead-letter queue is read
/// without acknowledging until it comes, then closing the channel returns the others.
/// </summary>
internal sealed class RabbitMqDeadLetterReplay(RabbitMqConsumers consumers, RabbitMqConnections connections, RabbitMqQueues queues, QueueRegistry registry) : IDeadLetterReplay
{
    // One scan of a dead-letter queue at a time in this process, so that two replays do not hide each other's targets.
    private readonly SemaphoreSlim replayScan = new(1, 1);

    public async Task ReplayAsync(string deadLetterQueue, string lockToken, CancellationToken cancellationToken)
    {
        await registry.EnsureKnownAsync(deadLetterQueue, cancellationToken);
        if (!QueueNames.IsDeadLetter(deadLetterQueue))
        {
            throw new InvalidOperationException($"Only a message received from a dead-letter queue can be replayed ('{deadLetterQueue}' is not one).");
        }

        var receiver = consumers.Holding(deadLetterQueue, lockToken);
        var delivery = receiver.Release(lockToken);
        await queues.RepublishAsync(QueueNames.SourceOf(deadLetterQueue), delivery.Properties, delivery.Message.MessageId, delivery.Message.Body, cancellationToken);
        await receiver.AckAsync(delivery, lockToken);
    }

    public async Task<bool> ReplayDeadLetterAsync(string deadLetterQueue, long sequenceNumber, string messageId, ReadOnlyMemory<byte>? replacementBody, CancellationToken cancellationToken)
    {
        QueueRules.ValidateReplayable(deadLetterQueue);
        await registry.EnsureKnownAsync(deadLetterQueue, cancellationToken);
        var source = QueueNames.SourceOf(deadLetterQueue);
        await replayScan.WaitAsync(cancellationToken);
        try
        {
            var connection = await connections.GetAsync(RabbitMqConnections.Consuming, cancellationToken);
            await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
            while (await channel.BasicGetAsync(deadLetterQueue, autoAck: false, cancellationToken) is { } got)
            {
                var message = RabbitMqMessages.Read(deadLetterQueue, got.BasicProperties, got.Body.ToArray());
                if (message.SequenceNumber != sequenceNumber || message.MessageId != messageId)
                {
                    continue;
                }

                if (replacementBody is { } body)
                {
                    QueueRules.ValidateReplacement(source, message, body);
                }

                await queues.RepublishAsync(source, got.BasicProperties, message.MessageId, replacementBody ?? message.Body, cancellationToken);
                await channel.BasicAckAsync(got.DeliveryTag, multiple: false, cancellationToken);
                await channel.CloseAsync(cancellationToken);
                return true;
            }

            await channel.CloseAsync(cancellationToken);
            return false;
        }
        finally
        {
            replayScan.Release();
        }
    }
}
