using System.Collections.Concurrent;
using Azure.Messaging.ServiceBus;
using IntegrationHub.Core.Messaging;
using IntegrationHub.Runtime.Queues;
using IntegrationHub.Runtime.RabbitMq;
using IntegrationHub.Runtime.Store;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Runtime.ServiceBus;

/// <summary>
/// Replays Service Bus dead letters under their own message id, which the namespace's duplicate
/// detection would drop: the id's claim in the hub store is handed to the replayed copy first, so that
/// the receiving side takes it as a first delivery (the receiving function's inbox guards its effect).
/// A dead letter a peek found is taken by a scan: only deferred messages can be received by sequence
/// number, so the dead-letter queue is received under locks until it comes, and the messages before it
/// are abandoned back (each then shows one more delivery). One scan of a dead-letter queue at a time in
/// this process.
/// </summary>
internal sealed class ServiceBusDeadLetterReplay(ServiceBusClients clients, ServiceBusLocks locks, IHubStore store, QueueRegistry registry, IOptions<MessagingOptions> options, TimeProvider time) : IDeadLetterReplay
{
    private const int ScanBatch = 100;
    private static readonly TimeSpan ScanWait = TimeSpan.FromSeconds(1);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> scans = new(StringComparer.Ordinal);

    public async Task ReplayAsync(string deadLetterQueue, string lockToken, CancellationToken cancellationToken)
    {
        await registry.EnsureKnownAsync(deadLetterQueue, cancellationToken);
        if (!QueueNames.IsDeadLetter(deadLetterQueue))
        {
            throw new InvalidOperationException($"Only a message received from a dead-letter queue can be replayed ('{deadLetterQueue}' is not one).");
        }

        if (!Guid.TryParse(lockToken, out var token) || !locks.TryGet(token, out var held) || held.Message.LockedUntil <= time.GetUtcNow())
        {
            throw new MessageLockLostException(deadLetterQueue, lockToken);
        }

        await ResendAsync(QueueNames.SourceOf(deadLetterQueue), held.Read.AsOutgoing(), cancellationToken);
        var receiver = held.Receiver.IsClosed ? clients.Settler(deadLetterQueue) : held.Receiver;
        await ServiceBusErrors.Refusing(deadLetterQueue, lockToken, () => receiver.CompleteMessageAsync(held.Message, cancellationToken));
        locks.Forget(token);
    }

    public async Task<bool> ReplayDeadLetterAsync(string deadLetterQueue, long sequenceNumber, string messageId, ReadOnlyMemory<byte>? replacementBody, CancellationToken cancellationToken)
    {
        QueueRules.ValidateReplayable(deadLetterQueue);
        await registry.EnsureKnownAsync(deadLetterQueue, cancellationToken);
        var receiver = clients.Settler(deadLetterQueue);
        var source = QueueNames.SourceOf(deadLetterQueue);

        // A peek says whether it is there at all, without locking anything.
        var peeked = await ServiceBusErrors.Refusing(deadLetterQueue, null, () => receiver.PeekMessagesAsync(1, sequenceNumber, cancellationToken));
        if (peeked.Count == 0 || peeked[0].SequenceNumber != sequenceNumber || peeked[0].MessageId != messageId)
        {
            return false;
        }

        if (replacementBody is { } body)
        {
            QueueRules.ValidateReplacement(source, ServiceBusMessages.Read(deadLetterQueue, peeked[0], ""), body);
        }

        var scan = scans.GetOrAdd(deadLetterQueue, _ => new SemaphoreSlim(1, 1));
        await scan.WaitAsync(cancellationToken);
        var passed = new List<ServiceBusReceivedMessage>();
        try
        {
            while (true)
            {
                var batch = await receiver.ReceiveMessagesAsync(ScanBatch, ScanWait, cancellationToken);
                if (batch.Count == 0)
                {
                    return false;
                }

                var found = batch.FirstOrDefault(m => m.SequenceNumber == sequenceNumber && m.MessageId == messageId);
                passed.AddRange(batch.Where(m => m != found));
                if (found is not null)
                {
                    var message = ServiceBusMessages.Read(deadLetterQueue, found, found.LockToken).AsOutgoing(replacementBody);
                    await ResendAsync(source, message, cancellationToken);
                    await ServiceBusErrors.Refusing(deadLetterQueue, found.LockToken, () => receiver.CompleteMessageAsync(found, cancellationToken));
                    return true;
                }
            }
        }
        finally
        {
            foreach (var other in passed)
            {
                await AbandonQuietlyAsync(receiver, other);
            }

            scan.Release();
        }
    }

    /// <summary>Sends a copy of the message to its source queue, after handing it the message id's claim.</summary>
    private async Task ResendAsync(string source, OutgoingMessage message, CancellationToken cancellationToken)
    {
        var copy = RabbitMqMessages.NewCopyId();
        await store.WriteAsync(
            async (connection, token) =>
            {
                await OutboxRows.HandOverClaimAsync(connection, source, message.MessageId, copy, time.GetUtcNow() + options.Value.DuplicateDetectionWindow, token);
                return true;
            },
            cancellationToken);
        await ServiceBusBatches.SendAsync(clients.Sender(source), source, [(ServiceBusMessages.ToServiceBus(message, copy, 0, null), message)], cancellationToken);
    }

    private static async Task AbandonQuietlyAsync(ServiceBusReceiver receiver, ServiceBusReceivedMessage message)
    {
        try
        {
            await receiver.AbandonMessageAsync(message, cancellationToken: CancellationToken.None);
        }
        catch (ServiceBusException)
        {
            // Its lock runs out instead, and it is a dead letter as before.
        }
    }
}
