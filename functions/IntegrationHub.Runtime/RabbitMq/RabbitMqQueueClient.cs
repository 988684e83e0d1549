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
/// what the broker lacks kept in the hub store: duplicate detection, delayed messages (scheduled, or
/// abandoned with a delay) waiting in the outbox until the relay publishes them when due, so that
/// different delays never hold one another up, and messages held for consumers outside the hub under
/// a lock every instance can settle (<see cref="ISharedLockReceiver"/>, see <see cref="HeldMessages"/>).
/// </summary>
internal sealed class RabbitMqQueueClient(
    RabbitMqConnections connections,
    RabbitMqPublisher publisher,
    OutboxRelay relay,
    IBrokerStore broker,
    IHubStore store,
    HeldMessages held,
    QueueRegistry registry,
    IOptions<MessagingOptions> options,
    TimeProvider time,
    ILogger<RabbitMqQueueClient> logger) : IQueueClient, ISharedLockReceiver, IQueueAdmin, IReceiverControl, IAsyncDisposable
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
            await store.WriteAsync(
                async (connection, token) =>
                {
                    foreach (var message in later)
                    {
                        await OutboxRows.InsertAsync(connection, new OutboxEntry(queue, message, RabbitMqMessages.NewCopyId(), 0, message.ScheduledEnqueueTimeUtc!.Value), token);
                    }

                    return later.Count;
                },
                cancellationToken);
            relay.Notify();
        }

        var batch = messages.Where(m => !(m.ScheduledEnqueueTimeUtc > now))
            .Select(m => (RabbitMqMessages.Properties(m, RabbitMqMessages.NewCopyId(), RabbitMqMessages.NextSequence(time), now, 0), m.Body))
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

    async Task<IReadOnlyList<ReceivedMessage>> ISharedLockReceiver.ReceiveAsync(string queue, int maxMessages, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessages, 1);
        QueueRules.RefuseSharedLockOnDeadLetters(queue);
        await registry.EnsureKnownAsync(queue, cancellationToken);
        var deadline = time.GetUtcNow() + maxWait;
        while (true)
        {
            var pulled = await PullAsync(queue, maxMessages, cancellationToken);
            var remaining = deadline - time.GetUtcNow();
            if (pulled.Count > 0 || remaining <= TimeSpan.Zero)
            {
                return pulled;
            }

            await Task.Delay(remaining < settings.PollInterval ? remaining : settings.PollInterval, time, cancellationToken);
        }
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

        if (copies.Count > 0 && !QueueNames.IsDeadLetter(queue))
        {
            await broker.RecordPeeksAsync(queue, copies, settings.DuplicateDetectionWindow, cancellationToken);
        }

        await channel.CloseAsync(cancellationToken);
        return peeked;
    }

    public async Task<DateTimeOffset> RenewLockAsync(ReceivedMessage message, CancellationToken cancellationToken)
    {
        if (await IsHeldAsync(message, cancellationToken))
        {
            return await held.RenewAsync(message.Queue, message.LockToken, cancellationToken);
        }

        return (await ReceiverOfAsync(message, cancellationToken)).Renew(message.LockToken, settings.LockDuration);
    }

    public async Task CompleteAsync(ReceivedMessage message, CancellationToken cancellationToken)
    {
        if (await IsHeldAsync(message, cancellationToken))
        {
            await held.CompleteAsync(message.Queue, message.LockToken, cancellationToken);
            return;
        }

        var receiver = await ReceiverOfAsync(message, cancellationToken);
        var delivery = receiver.Release(message.LockToken);
        await receiver.AckAsync(delivery, message.LockToken);
    }

    public async Task AbandonAsync(ReceivedMessage message, TimeSpan? delay, CancellationToken cancellationToken)
    {
        if (await IsHeldAsync(message, cancellationToken))
        {
            await held.AbandonAsync(message.Queue, message.LockToken, delay, cancellationToken);
            relay.Notify();
            return;
        }

        var receiver = await ReceiverOfAsync(message, cancellationToken);
        var delivery = receiver.Release(message.LockToken);
        var deliveries = delivery.Message.DeliveryCount;
        if (!QueueNames.IsDeadLetter(receiver.Queue) && deliveries >= settings.MaxDeliveryCount)
        {
            await PublishDeadLetterAsync(receiver.Queue, delivery, DeadLetterReasons.MaxDeliveryCountExceeded, Exhausted(deliveries), cancellationToken);
            await receiver.AckAsync(delivery, message.LockToken);
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
        ArgumentNullException.ThrowIfNull(message);
        if (QueueNames.IsDeadLetter(message.Queue))
        {
            throw new InvalidOperationException($"The message is already in the dead-letter queue '{message.Queue}'.");
        }

        if (await IsHeldAsync(message, cancellationToken))
        {
            await held.DeadLetterAsync(message.Queue, message.LockToken, reason, description, cancellationToken);
            relay.Notify();
            return;
        }

        var receiver = await ReceiverOfAsync(message, cancellationToken);
        var delivery = receiver.Release(message.LockToken);
        await PublishDeadLetterAsync(receiver.Queue, delivery, reason, description, cancellationToken);
        await receiver.AckAsync(delivery, message.LockToken);
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
        // A new copy that takes the message id's duplicate claim over, so that it is delivered as a
        // first delivery (any older copy still about is then dropped); the inbox guards the effect.
        var copy = RabbitMqMessages.NewCopyId();
        await HandOverClaimAsync(source, delivery.Message.MessageId, copy, cancellationToken);
        var properties = RabbitMqMessages.Republish(delivery.Properties, 0, [
            new(RabbitMqMessages.CopyHeader, copy),
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

                // A new copy that takes the message id's duplicate claim over, as ReplayAsync does.
                var copy = RabbitMqMessages.NewCopyId();
                await HandOverClaimAsync(source, message.MessageId, copy, cancellationToken);
                var properties = RabbitMqMessages.Republish(got.BasicProperties, 0, [
                    new(RabbitMqMessages.CopyHeader, copy),
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
        long scheduled;
        await using (var database = await store.OpenAsync(cancellationToken))
        {
            scheduled = await OutboxRows.CountScheduledAsync(database, source, time.GetUtcNow(), cancellationToken);
        }

        return new QueueStatistics
        {
            Queue = source,
            ActiveMessageCount = ready.MessageCount + (local?.Buffered ?? 0),
            LockedMessageCount = (local?.Locked ?? 0) + await held.CountAsync(source, cancellationToken),
            ScheduledMessageCount = scheduled,
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

    private RabbitMqReceiver Receiver(string queue, int prefetch) =>
        receivers.GetOrAdd(queue, q => new RabbitMqReceiver(q, (ushort)Math.Clamp(prefetch, 1, ushort.MaxValue), AcceptAsync, connections, time, logger));

    private string Exhausted(int deliveries) => $"Delivered {deliveries} times; the queue allows {settings.MaxDeliveryCount}.";

    /// <summary>This process's consumer's deliveries, sorted out against the store before receivers see them.</summary>
    private Task<List<RabbitMqReceiver.Delivery>> AcceptAsync(RabbitMqReceiver receiver, List<RabbitMqReceiver.Delivery> deliveries, CancellationToken cancellationToken) =>
        QueueNames.IsDeadLetter(receiver.Queue)
            ? Task.FromResult(deliveries)
            : AcceptAsync(receiver.Queue, deliveries, delivery => receiver.AckAsync(delivery, $"delivery {delivery.Tag}"), cancellationToken);

    /// <summary>
    /// Drops duplicates (acknowledging them with <paramref name="acknowledge"/>), dead-letters deliveries
    /// that are out of deliveries (publishing them to the dead-letter queue, then acknowledging them),
    /// and returns the rest with their delivery counts less the peeks.
    /// </summary>
    private async Task<List<RabbitMqReceiver.Delivery>> AcceptAsync(string queue, List<RabbitMqReceiver.Delivery> deliveries, Func<RabbitMqReceiver.Delivery, Task> acknowledge, CancellationToken cancellationToken)
    {
        if (deliveries.Count == 0)
        {
            return deliveries;
        }

        var accepted = new List<RabbitMqReceiver.Delivery>(deliveries.Count);
        var copies = deliveries.Select(d => new ReceivedCopy(d.Message.MessageId, d.CopyId, d.Message.EnqueuedTimeUtc, d.Redelivered)).ToList();
        var checks = await broker.CheckAsync(queue, copies, settings.DuplicateDetectionWindow, cancellationToken);
        for (var i = 0; i < deliveries.Count; i++)
        {
            var (duplicate, peeks) = checks[i];
            var delivery = peeks == 0 ? deliveries[i] : deliveries[i] with { Message = deliveries[i].Message with { DeliveryCount = deliveries[i].Message.DeliveryCount - peeks } };
            if (duplicate)
            {
                Log.DuplicateDropped(logger, delivery.Message.MessageId, queue);
                await acknowledge(delivery);
            }
            else if (delivery.Message.DeliveryCount > settings.MaxDeliveryCount)
            {
                await PublishDeadLetterAsync(queue, delivery, DeadLetterReasons.MaxDeliveryCountExceeded, Exhausted(delivery.Message.DeliveryCount - 1), cancellationToken);
                await acknowledge(delivery);
            }
            else
            {
                accepted.Add(delivery);
            }
        }

        return accepted;
    }

    /// <summary>
    /// Takes up to <paramref name="max"/> messages from the broker (<c>basic.get</c>, so that no consumer
    /// of this process keeps a department's messages from another instance), holds those that are not
    /// duplicates in the store, then acknowledges them all. Dying before the acknowledgement returns them
    /// to the queue, and a copy held already is not held twice.
    /// </summary>
    private async Task<List<ReceivedMessage>> PullAsync(string queue, int max, CancellationToken cancellationToken)
    {
        var connection = await connections.GetAsync(RabbitMqConnections.Consuming, cancellationToken);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        var taken = new List<RabbitMqReceiver.Delivery>();
        while (taken.Count < max && await channel.BasicGetAsync(queue, autoAck: false, cancellationToken) is { } got)
        {
            var message = RabbitMqMessages.Read(queue, got.BasicProperties, got.Body.ToArray());
            taken.Add(new RabbitMqReceiver.Delivery(0, got.DeliveryTag, message, got.BasicProperties, RabbitMqMessages.CopyOf(got.BasicProperties), got.Redelivered));
        }

        if (taken.Count == 0)
        {
            return [];
        }

        // Duplicates and exhausted deliveries are acknowledged with the rest, below.
        var accepted = await AcceptAsync(queue, taken, _ => Task.CompletedTask, cancellationToken);
        var pulled = await held.HoldAsync(queue, accepted.Select(d => (d.Message, d.CopyId)).ToList(), cancellationToken);
        await channel.BasicAckAsync(taken[^1].Tag, multiple: true, cancellationToken);
        await channel.CloseAsync(cancellationToken);
        return pulled;
    }

    private async Task PublishDeadLetterAsync(string queue, RabbitMqReceiver.Delivery delivery, string reason, string? description, CancellationToken cancellationToken)
    {
        var properties = RabbitMqMessages.Republish(delivery.Properties, delivery.Message.DeliveryCount - 1, [
            new(RabbitMqMessages.ReasonHeader, reason),
            new(RabbitMqMessages.DescriptionHeader, description),
            new(RabbitMqMessages.SourceHeader, queue),
            new(RabbitMqMessages.DeadLetteredHeader, time.GetUtcNow().ToUnixTimeMilliseconds())]);
        await PublishAsync(QueueNames.DeadLetterOf(queue), [(properties, delivery.Message.Body)], cancellationToken);
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
        // Published again when due as a new copy that takes the message id's duplicate claim over.
        var copy = RabbitMqMessages.NewCopyId();
        var now = time.GetUtcNow();
        await store.WriteAsync(
            async (connection, token) =>
            {
                await OutboxRows.HandOverClaimAsync(connection, receiver.Queue, message.MessageId, copy, now + settings.DuplicateDetectionWindow, token);
                await OutboxRows.InsertAsync(connection, new OutboxEntry(receiver.Queue, message, copy, delivery.Message.DeliveryCount, now + delay), token);
                return true;
            },
            cancellationToken);
        relay.Notify();
        await receiver.AckAsync(delivery, lockToken);
    }

    private Task HandOverClaimAsync(string queue, string messageId, string copy, CancellationToken cancellationToken) =>
        store.WriteAsync(
            async (connection, token) =>
            {
                await OutboxRows.HandOverClaimAsync(connection, queue, messageId, copy, time.GetUtcNow() + settings.DuplicateDetectionWindow, token);
                return true;
            },
            cancellationToken);

    private async Task<bool> IsHeldAsync(ReceivedMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        await registry.EnsureKnownAsync(message.Queue, cancellationToken);
        return HeldMessages.Holds(message.LockToken);
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
