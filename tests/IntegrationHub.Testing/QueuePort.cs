using IntegrationHub.Core.Messaging;

namespace IntegrationHub.Testing;

/// <summary>
/// A hub's queue port as a test drives it: each role of the configured transport (sender, receiver,
/// settlement, dead-letter replay) behind one object, settling the messages it received by their
/// queue and lock token.
/// </summary>
public sealed class QueuePort(IQueueSender sender, IQueueReceiver receiver, IQueueSettlement settlement, IDeadLetterReplay replay)
{
    /// <summary>The port of a hub's services (its container).</summary>
    public static QueuePort Of(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        return new QueuePort(Get<IQueueSender>(services), Get<IQueueReceiver>(services), Get<IQueueSettlement>(services), Get<IDeadLetterReplay>(services));
    }

    public Task SendAsync(string queue, OutgoingMessage message, CancellationToken cancellationToken) => sender.SendAsync(queue, message, cancellationToken);

    public Task SendBatchAsync(string queue, IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken) => sender.SendBatchAsync(queue, messages, cancellationToken);

    public Task<IReadOnlyList<ReceivedMessage>> ReceiveAsync(string queue, int maxMessages, TimeSpan maxWait, CancellationToken cancellationToken) =>
        receiver.ReceiveAsync(queue, maxMessages, maxWait, cancellationToken);

    public Task<IReadOnlyList<ReceivedMessage>> PeekAsync(string queue, long fromSequenceNumber, int maxMessages, CancellationToken cancellationToken) =>
        receiver.PeekAsync(queue, fromSequenceNumber, maxMessages, cancellationToken);

    public Task<DateTimeOffset> RenewLockAsync(ReceivedMessage message, CancellationToken cancellationToken) =>
        settlement.RenewLockAsync(message.Queue, message.LockToken, cancellationToken);

    public Task CompleteAsync(ReceivedMessage message, CancellationToken cancellationToken) => settlement.CompleteAsync(message.Queue, message.LockToken, cancellationToken);

    public Task AbandonAsync(ReceivedMessage message, TimeSpan? delay, CancellationToken cancellationToken) =>
        settlement.AbandonAsync(message.Queue, message.LockToken, delay, cancellationToken);

    public Task DeadLetterAsync(ReceivedMessage message, string reason, string? description, CancellationToken cancellationToken) =>
        settlement.DeadLetterAsync(message.Queue, message.LockToken, reason, description, cancellationToken);

    public Task ReplayAsync(ReceivedMessage deadLetter, CancellationToken cancellationToken) => replay.ReplayAsync(deadLetter.Queue, deadLetter.LockToken, cancellationToken);

    public Task<bool> ReplayDeadLetterAsync(string deadLetterQueue, long sequenceNumber, string messageId, ReadOnlyMemory<byte>? replacementBody, CancellationToken cancellationToken) =>
        replay.ReplayDeadLetterAsync(deadLetterQueue, sequenceNumber, messageId, replacementBody, cancellationToken);

    private static T Get<T>(IServiceProvider services)
        where T : class =>
        services.GetService(typeof(T)) as T ?? throw new InvalidOperationException($"The hub registers no {typeof(T).Name}.");
}
