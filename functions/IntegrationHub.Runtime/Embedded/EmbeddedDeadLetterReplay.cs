using IntegrationHub.Core.Messaging;
using IntegrationHub.Runtime.Queues;
using IntegrationHub.Runtime.Store;

namespace IntegrationHub.Runtime.Embedded;

/// <summary>Replays embedded dead letters: the row moves back to its source queue in one statement.</summary>
internal sealed class EmbeddedDeadLetterReplay(EmbeddedLocks locks, EmbeddedReceiver receiver, HubWriter writer, QueueRegistry registry, QueueSignals signals, TimeProvider time) : IDeadLetterReplay
{
    public async Task ReplayAsync(string deadLetterQueue, string lockToken, CancellationToken cancellationToken)
    {
        await locks.ChangeAsync(deadLetterQueue, lockToken, EmbeddedMessages.Replay, cancellationToken);
        signals.Notify(QueueNames.SourceOf(deadLetterQueue));
    }

    public async Task<bool> ReplayDeadLetterAsync(string deadLetterQueue, long sequenceNumber, string messageId, ReadOnlyMemory<byte>? replacementBody, CancellationToken cancellationToken)
    {
        QueueRules.ValidateReplayable(deadLetterQueue);
        await registry.EnsureKnownAsync(deadLetterQueue, cancellationToken);
        var source = QueueNames.SourceOf(deadLetterQueue);
        if (replacementBody is { } body)
        {
            var peeked = await receiver.PeekAsync(deadLetterQueue, sequenceNumber, 1, cancellationToken);
            if (peeked.FirstOrDefault(m => m.SequenceNumber == sequenceNumber && m.MessageId == messageId) is not { } current)
            {
                return false;
            }

            QueueRules.ValidateReplacement(source, current, body);
        }

        var replayed = await writer.RunAsync(
            connection => EmbeddedMessages.ReplayUnlocked(connection, deadLetterQueue, sequenceNumber, messageId, replacementBody?.ToArray(), time.GetUtcNow()),
            cancellationToken,
            isolated: false);
        if (replayed)
        {
            signals.Notify(source);
        }

        return replayed;
    }
}
