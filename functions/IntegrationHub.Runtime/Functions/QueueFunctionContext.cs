using IntegrationHub.Core.Messaging;

namespace IntegrationHub.Runtime.Functions;

/// <summary>What a queue function knows about the message it was given, and how it may settle it.</summary>
public sealed class QueueFunctionContext
{
    private readonly IQueueSettlement settlement;
    private int settled;
    private long lockedUntilTicks;

    internal QueueFunctionContext(string functionName, ReceivedMessage message, IQueueSettlement settlement)
    {
        FunctionName = functionName;
        Message = message;
        LockedUntilUtc = message.LockedUntilUtc;
        this.settlement = settlement;
    }

    /// <summary>The function's name: the consumer name to record in the inbox.</summary>
    public string FunctionName { get; }

    /// <summary>The message as received, with all its properties.</summary>
    public ReceivedMessage Message { get; }

    /// <summary>The queue it came from.</summary>
    public string Queue => Message.Queue;

    /// <summary>Its message id.</summary>
    public string MessageId => Message.MessageId;

    /// <summary>Its correlation id.</summary>
    public string? CorrelationId => Message.CorrelationId;

    /// <summary>How many times it has been delivered, this delivery included.</summary>
    public int DeliveryCount => Message.DeliveryCount;

    /// <summary>Its application properties.</summary>
    public IReadOnlyDictionary<string, string> ApplicationProperties => Message.ApplicationProperties;

    /// <summary>When the message's lock expires; the runtime renews it while the function runs (up to host.json's maxAutoLockRenewalDuration).</summary>
    public DateTimeOffset LockedUntilUtc
    {
        get => new(Volatile.Read(ref lockedUntilTicks), TimeSpan.Zero);
        internal set => Volatile.Write(ref lockedUntilTicks, value.UtcTicks);
    }

    internal bool IsSettled => Volatile.Read(ref settled) == 1;

    /// <summary>Completes the message now (with auto-complete off, the function must settle it).</summary>
    public Task CompleteAsync(CancellationToken cancellationToken) => Settle(() => settlement.CompleteAsync(Queue, Message.LockToken, cancellationToken));

    /// <summary>Returns the message to its queue, to be delivered again after <paramref name="delay"/>.</summary>
    public Task AbandonAsync(TimeSpan? delay, CancellationToken cancellationToken) => Settle(() => settlement.AbandonAsync(Queue, Message.LockToken, delay, cancellationToken));

    /// <summary>Moves the message to the dead-letter queue with a reason and a description.</summary>
    public Task DeadLetterAsync(string reason, string? description, CancellationToken cancellationToken) =>
        Settle(() => settlement.DeadLetterAsync(Queue, Message.LockToken, reason, description, cancellationToken));

    /// <summary>
    /// Settles the message as a flow step's outcome says: a refused one goes to the dead-letter queue
    /// with the step's reason and description; one that took effect (now or before) is left to be
    /// completed as the function's binding says (auto-complete, by default).
    /// </summary>
    public Task SettleAsync(StepOutcome outcome, CancellationToken cancellationToken) =>
        outcome.IsRefused ? DeadLetterAsync(outcome.Refusal!, outcome.Description, cancellationToken) : Task.CompletedTask;

    private Task Settle(Func<Task> settle) =>
        Interlocked.Exchange(ref settled, 1) == 0
            ? settle()
            : throw new InvalidOperationException($"Message '{MessageId}' has already been settled.");
}
