using System.Collections.Concurrent;
using IntegrationHub.Core.Messaging;
using IntegrationHub.Runtime.Queues;
using IntegrationHub.Runtime.Store;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;

namespace IntegrationHub.Runtime.RabbitMq;

/// <summary>
/// The RabbitMQ transport: durable quorum queues (a dead-letter queue beside each), persistent
/// messages published with confirms, manual acknowledgements under a lock kept by this process, and
/// what the broker lacks kept in the hub database: duplicate detection, and delayed messages
/// (scheduled, or abandoned with a delay) waiting in the outbox until the relay publishes them when
/// due, so that different delays never hold one another up.
/// </summary>
internal sealed class RabbitMqQueueClient(
    RabbitMqConnections connections,
    RabbitMqPublisher publisher,
    OutboxRelay relay,
    HubWriter writer,
    SqliteHubDatabase database,
    QueueRegistry registry,
    IOptions<MessagingOptions> options,
    TimeProvider time,
    ILogger<RabbitMqQueueClient> logger) : IQueueClient, IQueueAdmin, IReceiverControl, IAsyncDisposable
{
    private static readonly Dictionary<string, object?> QuorumQueue = new() { ["x-queue-type"] = "quorum" };

    private readonly ConcurrentDictionary<string, RabbitMqReceiver> receivers = new(StringComparer.Ordinal);
    private readonly MessagingOptions settings = options.Value;

    // One scan of a dead-letter queue at a time in this process, so that two replays do not hide each other's targets.
    private readonly SemaphoreSlim replayScan = new(1, 1);

    public Task SendAsync(string queue, OutgoingMessage message, CancellationToken cancellationToken) =>
        SendBatchAsync(queue, [message], cancellationToken);

    public async Task SendBatchAsync(string queue, IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken)
    {
        QueueRules.Validate(queue, messages);

        await registry.EnsureKnownAsync(queue, cancellationToken);
        var now = time.GetUtcNow();
        var later = messages.Where(m => m.ScheduledEnqueueTimeUtc > now).ToList();
        if (later.Count > 0)
        {
            await writer.RunAsync(connection =>
            {
                later.ForEach(m => Outbox.Insert(connection, queue, m, NewCopyId(), 0, m.ScheduledEnqueueTimeUtc!.Value));
                return later.Count;
            }, cancellationToken);
            relay.Notify();
        }

        var batch = messages.Where(m => !(m.ScheduledEnqueueTimeUtc > now))
            .Select(m => (RabbitMqMessages.Properties(m, NewCopyId(), RabbitMqMessages.NextSequence(time), now, 0), m.Body))
            .ToList();
        if (batch.Count > 0)
        {
            await PublishAsync(queue, batch, cancellationToken);
        }
    }

    public async Task<IReadOnlyList<ReceivedMessage>> ReceiveAsync(string queue, int maxMessages, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessages, 1);
        await registry.EnsureKnownAsync(queue, cancellationToken);
        var receiver = Receiver(queue, settings.RabbitMq.Prefetch);
        await receiver.StartAsync(cancellationToken);
        var deliveries = await receiver.TakeAsync(maxMessages, maxWait, cancellationToken);
        return deliveries.Select(d => receiver.Lock(d, settings.LockDuration)).ToList();
    }

    public async Task<IReadOnlyList<ReceivedMessage>> PeekAsync(string queue, long fromSequenceNumber, int maxMessages, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessages, 1);
        await registry.EnsureKnownAsync(queue, cancellationToken);
        var connection = await connections.GetAsync(RabbitMqConnections.Consuming, cancellationToken);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        var peeked = new List<ReceivedMessage>();
        var copies = new List<(string, string, DateTimeOffset)>();
        // AMQP has no peek: read without acknowledging, then close the channel, which returns them all.
        // The broker counts each read as a delivery, so the reads are recorded and subtracted on receipt.
        while (peeked.Count < maxMessages && await channel.BasicGetAsync(queue, autoAck: false, cancellationToken) is { } got)
        {
            var message = RabbitMqMessages.Read(queue, got.BasicProperties, got.Body.ToArray());
            copies.Add((message.MessageId, RabbitMqMessages.CopyOf(got.BasicProperties), message.EnqueuedTimeUtc));
            if (message.SequenceNumber >= fromSequenceNumber)
            {
                peeked.Add(message with { DeliveryCount = message.DeliveryCount - 1 });
            }
        }

        if (copies.Count > 0 && !QueueNames.IsDeadLetter(queue))
        {
            await writer.RunAsync(connection =>
            {
                DuplicateDetection.RecordPeeks(connection, queue, copies, settings.DuplicateDetectionWindow);
                return copies.Count;
            }, cancellationToken);
        }

        await channel.CloseAsync(cancellationToken);
        return peeked;
    }

    public async Task<DateTimeOffset> RenewLockAsync(ReceivedMessage message, CancellationToken cancellationToken) =>
        (await ReceiverOfAsync(message, cancellationToken)).Renew(message.LockToken, settings.LockDuration);

    public async Task CompleteAsync(ReceivedMessage message, CancellationToken cancellationToken)
    {
        var receiver = await ReceiverOfAsync(message, cancellationToken);
        var delivery = receiver.Release(message.LockToken);
        await receiver.AckAsync(delivery, message.LockToken);
    }

    public async Task AbandonAsync(ReceivedMessage message, TimeSpan? delay, CancellationToken cancellationToken)
    {
        var receiver = await ReceiverOfAsync(message, cancellationToken);
        var delivery = receiver.Release(message.LockToken);
        var deliveries = delivery.Message.DeliveryCount;
        if (!QueueNames.IsDeadLetter(receiver.Queue) && deliveries >= settings.MaxDeliveryCount)
        {
            await MoveToDeadLetterAsync(receiver, delivery, message.LockToken, DeadLetterReasons.MaxDeliveryCountExceeded, Exhausted(deliveries), cancellationToken);
        }
        else if (delay is { } wait && wait > TimeSpan.Zero)
        {
            await DelayAsync(receiver, delivery, message.LockToken, wait, cancellationToken);
        }
        else
        {
            await receiver.RequeueAsync(delivery, message.LockToken);
        }
    }

    public async Task DeadLetterAsync(ReceivedMessage message, string reason, string? description, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        var receiver = await ReceiverOfAsync(message, cancellationToken);
        if (QueueNames.IsDeadLetter(receiver.Queue))
        {
            throw new InvalidOperationException($"The message is already in the dead-letter queue '{receiver.Queue}'.");
        }

        await MoveToDeadLetterAsync(receiver, receiver.Release(message.LockToken), message.LockToken, reason, description, cancellationToken);
    }

    public async Task ReplayAsync(ReceivedMessage deadLetter, CancellationToken cancellationToken)
    {
        var receiver = await ReceiverOfAsync(deadLetter, cancellationToken);
        if (!QueueNames.IsDeadLetter(receiver.Queue))
        {
            throw new InvalidOperationException($"Only a message received from a dead-letter queue can be replayed ('{receiver.Queue}' is not one).");
        }

        var delivery = receiver.Release(deadLetter.LockToken);
        var source = QueueNames.SourceOf(receiver.Queue);
        // The same copy as before, so that duplicate detection lets it through; the inbox guards the effect.
        var properties = RabbitMqMessages.Republish(delivery.Properties, 0, [
            new(RabbitMqMessages.EnqueuedHeader, time.GetUtcNow().ToUnixTimeMilliseconds()),
            new(RabbitMqMessages.SequenceHeader, RabbitMqMessages.NextSequence(time))]);
        await PublishAsync(source, [(properties, delivery.Message.Body)], cancellationToken);
        await receiver.AckAsync(delivery, deadLetter.LockToken);
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
            // AMQP cannot take one message by its position: read without acknowledging until it comes,
            // then closing the channel returns the others (as a peek does).
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

                // The same copy as before, so that duplicate detection lets it through; the inbox guards the effect.
                var properties = RabbitMqMessages.Republish(got.BasicProperties, 0, [
                    new(RabbitMqMessages.EnqueuedHeader, time.GetUtcNow().ToUnixTimeMilliseconds()),
                    new(RabbitMqMessages.SequenceHeader, RabbitMqMessages.NextSequence(time))]);
                await PublishAsync(source, [(properties, replacementBody ?? message.Body)], cancellationToken);
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

    public async Task EnsureQueueAsync(string queue, CancellationToken cancellationToken)
    {
        QueueRules.ValidateDeclarable(queue);
        await DeclareOnBrokerAsync(queue, cancellationToken);
        await registry.DeclareAsync(queue, cancellationToken);
    }

    public Task<IReadOnlyList<string>> ListQueuesAsync(CancellationToken cancellationToken) => registry.ListAsync(cancellationToken);

    public async Task<QueueStatistics> GetStatisticsAsync(string queue, CancellationToken cancellationToken)
    {
        await registry.EnsureKnownAsync(queue, cancellationToken);
        var source = QueueNames.SourceOf(queue);
        var connection = await connections.GetAsync(RabbitMqConnections.Consuming, cancellationToken);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        var ready = await channel.QueueDeclarePassiveAsync(source, cancellationToken);
        var deadLetters = await channel.QueueDeclarePassiveAsync(QueueNames.DeadLetterOf(source), cancellationToken);
        var local = receivers.GetValueOrDefault(source);
        var localDeadLetters = receivers.GetValueOrDefault(QueueNames.DeadLetterOf(source));
        await using var store = await database.OpenSqliteAsync(cancellationToken);
        return new QueueStatistics
        {
            Queue = source,
            ActiveMessageCount = ready.MessageCount + (local?.Buffered ?? 0),
            LockedMessageCount = local?.Locked ?? 0,
            ScheduledMessageCount = Outbox.CountScheduled(store, source, time.GetUtcNow()),
            DeadLetterMessageCount = deadLetters.MessageCount + (localDeadLetters?.Buffered ?? 0) + (localDeadLetters?.Locked ?? 0),
        };
    }

    public void SetPrefetch(string queue, int prefetch)
    {
        var count = (ushort)Math.Clamp(prefetch, 1, ushort.MaxValue);
        _ = Receiver(queue, count).SetPrefetchAsync(count, CancellationToken.None);
    }

    public Task StopReceivingAsync(string queue, CancellationToken cancellationToken) =>
        receivers.TryGetValue(queue, out var receiver) ? receiver.StopConsumingAsync(cancellationToken) : Task.CompletedTask;

    // The container disposes this once per port it stands behind, hence the receivers are taken out first.
    public async ValueTask DisposeAsync()
    {
        foreach (var queue in receivers.Keys)
        {
            if (receivers.TryRemove(queue, out var receiver))
            {
                await receiver.DisposeAsync();
            }
        }
    }

    /// <summary>Publishes; a queue the registry knows but the broker lost (a new broker) is declared again once.</summary>
    internal async Task PublishAsync(string queue, IReadOnlyList<(BasicProperties Properties, ReadOnlyMemory<byte> Body)> batch, CancellationToken cancellationToken)
    {
        try
        {
            await publisher.PublishAsync(queue, batch, cancellationToken);
        }
        catch (UnroutableException)
        {
            await registry.EnsureKnownAsync(queue, cancellationToken);
            await DeclareOnBrokerAsync(QueueNames.SourceOf(queue), cancellationToken);
            await publisher.PublishAsync(queue, batch, cancellationToken);
        }
    }

    private static string NewCopyId() => Guid.NewGuid().ToString("N");

    private RabbitMqReceiver Receiver(string queue, int prefetch) =>
        receivers.GetOrAdd(queue, q => new RabbitMqReceiver(q, (ushort)Math.Clamp(prefetch, 1, ushort.MaxValue), AcceptAsync, connections, time, logger));

    private string Exhausted(int deliveries) => $"Delivered {deliveries} times; the queue allows {settings.MaxDeliveryCount}.";

    /// <summary>Dead-letters deliveries that are out of deliveries and acknowledges duplicates; returns the rest.</summary>
    private async Task<List<RabbitMqReceiver.Delivery>> AcceptAsync(RabbitMqReceiver receiver, List<RabbitMqReceiver.Delivery> deliveries, CancellationToken cancellationToken)
    {
        if (deliveries.Count == 0 || QueueNames.IsDeadLetter(receiver.Queue))
        {
            return deliveries;
        }

        var accepted = new List<RabbitMqReceiver.Delivery>(deliveries.Count);
        var copies = deliveries.Select(d => (d.Message.MessageId, d.CopyId, d.Message.EnqueuedTimeUtc)).ToList();
        // A claim lost in a crash only lets a later duplicate through to the consumer's inbox, so the
        // deliveries need not wait for it to reach the disk.
        var checks = await writer.RunAsync(
            connection => DuplicateDetection.Check(connection, receiver.Queue, copies, settings.DuplicateDetectionWindow),
            cancellationToken,
            isolated: false,
            awaitCommit: false);
        for (var i = 0; i < deliveries.Count; i++)
        {
            var (duplicate, peeks) = checks[i];
            var delivery = peeks == 0 ? deliveries[i] : deliveries[i] with { Message = deliveries[i].Message with { DeliveryCount = deliveries[i].Message.DeliveryCount - peeks } };
            var tag = $"delivery {delivery.Tag}";
            if (duplicate)
            {
                Log.DuplicateDropped(logger, delivery.Message.MessageId, receiver.Queue);
                await receiver.AckAsync(delivery, tag);
            }
            else if (delivery.Message.DeliveryCount > settings.MaxDeliveryCount)
            {
                await MoveToDeadLetterAsync(receiver, delivery, tag, DeadLetterReasons.MaxDeliveryCountExceeded, Exhausted(delivery.Message.DeliveryCount - 1), cancellationToken);
            }
            else
            {
                accepted.Add(delivery);
            }
        }

        return accepted;
    }

    private async Task MoveToDeadLetterAsync(RabbitMqReceiver receiver, RabbitMqReceiver.Delivery delivery, string lockToken, string reason, string? description, CancellationToken cancellationToken)
    {
        var properties = RabbitMqMessages.Republish(delivery.Properties, delivery.Message.DeliveryCount - 1, [
            new(RabbitMqMessages.ReasonHeader, reason),
            new(RabbitMqMessages.DescriptionHeader, description),
            new(RabbitMqMessages.SourceHeader, receiver.Queue),
            new(RabbitMqMessages.DeadLetteredHeader, time.GetUtcNow().ToUnixTimeMilliseconds())]);
        await PublishAsync(QueueNames.DeadLetterOf(receiver.Queue), [(properties, delivery.Message.Body)], cancellationToken);
        await receiver.AckAsync(delivery, lockToken);
    }

    private async Task DelayAsync(RabbitMqReceiver receiver, RabbitMqReceiver.Delivery delivery, string lockToken, TimeSpan delay, CancellationToken cancellationToken)
    {
        var message = new OutgoingMessage
        {
            MessageId = delivery.Message.MessageId,
            Body = delivery.Message.Body,
            CorrelationId = delivery.Message.CorrelationId,
            Subject = delivery.Message.Subject,
            ContentType = delivery.Message.ContentType,
            ApplicationProperties = delivery.Message.ApplicationProperties,
        };
        await writer.RunAsync(connection =>
        {
            Outbox.Insert(connection, receiver.Queue, message, delivery.CopyId, delivery.Message.DeliveryCount, time.GetUtcNow() + delay);
            return true;
        }, cancellationToken, isolated: false);
        relay.Notify();
        await receiver.AckAsync(delivery, lockToken);
    }

    private async Task<RabbitMqReceiver> ReceiverOfAsync(ReceivedMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        await registry.EnsureKnownAsync(message.Queue, cancellationToken);
        return receivers.GetValueOrDefault(message.Queue) ?? throw new MessageLockLostException(message.Queue, message.LockToken);
    }

    private async Task DeclareOnBrokerAsync(string queue, CancellationToken cancellationToken)
    {
        var connection = await connections.GetAsync(RabbitMqConnections.Consuming, cancellationToken);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, arguments: QuorumQueue, cancellationToken: cancellationToken);
        await channel.QueueDeclareAsync(QueueNames.DeadLetterOf(queue), durable: true, exclusive: false, autoDelete: false, arguments: QuorumQueue, cancellationToken: cancellationToken);
    }
}
