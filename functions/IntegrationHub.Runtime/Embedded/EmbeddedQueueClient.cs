using IntegrationHub.Core.Messaging;
using IntegrationHub.Runtime.Queues;
using IntegrationHub.Runtime.Store;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Runtime.Embedded;

/// <summary>
/// The embedded transport: queues with Service Bus semantics in the hub database, so that a
/// function's state change, its inbox record and the messages it sends commit in one SQLite transaction.
/// </summary>
internal sealed class EmbeddedQueueClient(
    HubWriter writer,
    EmbeddedCompletions completions,
    SqliteHubDatabase database,
    QueueRegistry registry,
    QueueSignals signals,
    IOptions<MessagingOptions> options,
    TimeProvider time) : IQueueClient, ISharedLockReceiver, IQueueAdmin
{
    private readonly MessagingOptions settings = options.Value;

    public Task SendAsync(string queue, OutgoingMessage message, CancellationToken cancellationToken) =>
        SendBatchAsync(queue, [message], cancellationToken);

    public async Task SendBatchAsync(string queue, IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken)
    {
        QueueRules.Validate(queue, messages);

        await writer.RunAsync(connection =>
        {
            registry.EnsureKnown(connection, queue);
            return EmbeddedMessages.Insert(connection, queue, messages, time.GetUtcNow(), settings.DuplicateDetectionWindow);
        }, cancellationToken);
        signals.Notify(queue);
    }

    public async Task<IReadOnlyList<ReceivedMessage>> ReceiveAsync(string queue, int maxMessages, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessages, 1);
        await registry.EnsureKnownAsync(queue, cancellationToken);
        var deadline = time.GetUtcNow() + maxWait;
        while (true)
        {
            var signal = signals.NextAsync(queue);
            var (messages, next) = await writer.RunAsync(connection =>
            {
                var now = time.GetUtcNow();
                var locked = EmbeddedMessages.Lock(connection, queue, maxMessages, now, settings.LockDuration, settings.MaxDeliveryCount);
                return (locked, locked.Count == 0 ? EmbeddedMessages.NextVisible(connection, queue) : null);
            }, cancellationToken, isolated: false);
            var remaining = deadline - time.GetUtcNow();
            if (messages.Count > 0 || remaining <= TimeSpan.Zero)
            {
                return messages;
            }

            var wait = Min(remaining, settings.PollInterval, next is { } at ? at - time.GetUtcNow() : remaining);
            await QueueSignals.WaitAsync(signal, wait, time, cancellationToken);
        }
    }

    /// <summary>The embedded transport's locks are in the hub database already: any process on it can settle them.</summary>
    Task<IReadOnlyList<ReceivedMessage>> ISharedLockReceiver.ReceiveAsync(string queue, int maxMessages, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        QueueRules.RefuseSharedLockOnDeadLetters(queue);
        return ReceiveAsync(queue, maxMessages, maxWait, cancellationToken);
    }

    public async Task<IReadOnlyList<ReceivedMessage>> PeekAsync(string queue, long fromSequenceNumber, int maxMessages, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessages, 1);
        await registry.EnsureKnownAsync(queue, cancellationToken);
        await using var connection = await database.OpenSqliteAsync(cancellationToken);
        return EmbeddedMessages.Peek(connection, queue, fromSequenceNumber, maxMessages);
    }

    public Task<DateTimeOffset> RenewLockAsync(ReceivedMessage message, CancellationToken cancellationToken) =>
        SettleAsync(message, (connection, token, now) => EmbeddedMessages.Renew(connection, token, now, settings.LockDuration), cancellationToken);

    public async Task CompleteAsync(ReceivedMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        await registry.EnsureKnownAsync(message.Queue, cancellationToken);
        await completions.CompleteAsync(LockToken.Parse(message.Queue, message.LockToken), cancellationToken);
    }

    public async Task AbandonAsync(ReceivedMessage message, TimeSpan? delay, CancellationToken cancellationToken)
    {
        await SettleAsync(message, (connection, token, now) => EmbeddedMessages.Abandon(connection, token, delay, now, settings.MaxDeliveryCount), cancellationToken);
        signals.Notify(message.Queue);
    }

    public Task DeadLetterAsync(ReceivedMessage message, string reason, string? description, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return SettleAsync(message, (connection, token, now) => EmbeddedMessages.DeadLetter(connection, token, reason, description, now), cancellationToken);
    }

    public async Task ReplayAsync(ReceivedMessage deadLetter, CancellationToken cancellationToken)
    {
        await SettleAsync(deadLetter, (connection, token, now) => EmbeddedMessages.Replay(connection, token, now), cancellationToken);
        signals.Notify(QueueNames.SourceOf(deadLetter.Queue));
    }

    public async Task<bool> ReplayDeadLetterAsync(string deadLetterQueue, long sequenceNumber, string messageId, ReadOnlyMemory<byte>? replacementBody, CancellationToken cancellationToken)
    {
        QueueRules.ValidateReplayable(deadLetterQueue);
        await registry.EnsureKnownAsync(deadLetterQueue, cancellationToken);
        var source = QueueNames.SourceOf(deadLetterQueue);
        if (replacementBody is { } body)
        {
            var current = (await PeekAsync(deadLetterQueue, sequenceNumber, 1, cancellationToken)).FirstOrDefault(m => m.SequenceNumber == sequenceNumber && m.MessageId == messageId);
            if (current is null)
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

    public Task EnsureQueueAsync(string queue, CancellationToken cancellationToken) => registry.DeclareAsync(queue, cancellationToken);

    public Task<IReadOnlyList<string>> ListQueuesAsync(CancellationToken cancellationToken) => registry.ListAsync(cancellationToken);

    public async Task<QueueStatistics> GetStatisticsAsync(string queue, CancellationToken cancellationToken)
    {
        await registry.EnsureKnownAsync(queue, cancellationToken);
        await using var connection = await database.OpenSqliteAsync(cancellationToken);
        return EmbeddedMessages.Statistics(connection, QueueNames.SourceOf(queue), time.GetUtcNow());
    }

    private async Task SettleAsync(ReceivedMessage message, Action<Microsoft.Data.Sqlite.SqliteConnection, LockToken, DateTimeOffset> settle, CancellationToken cancellationToken) =>
        await SettleAsync(message, (connection, token, now) =>
        {
            settle(connection, token, now);
            return true;
        }, cancellationToken);

    private async Task<T> SettleAsync<T>(ReceivedMessage message, Func<Microsoft.Data.Sqlite.SqliteConnection, LockToken, DateTimeOffset, T> settle, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        await registry.EnsureKnownAsync(message.Queue, cancellationToken);
        var token = LockToken.Parse(message.Queue, message.LockToken);
        // Each settlement is one statement that changes one row, or none and throws: nothing to undo.
        return await writer.RunAsync(connection => settle(connection, token, time.GetUtcNow()), cancellationToken, isolated: false);
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b, TimeSpan c) => TimeSpan.FromTicks(Math.Min(a.Ticks, Math.Min(b.Ticks, c.Ticks)));
}
