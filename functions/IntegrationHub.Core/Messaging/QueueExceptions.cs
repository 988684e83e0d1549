namespace IntegrationHub.Core.Messaging;

/// <summary>A queue operation was refused; nothing was sent, settled or lost by it.</summary>
public abstract class QueueException : Exception
{
    /// <summary>Creates the exception.</summary>
    protected QueueException(string queue, string message)
        : base(message) => Queue = queue;

    /// <summary>The queue the operation was for.</summary>
    public string Queue { get; }
}

/// <summary>The queue has not been declared (see <see cref="IQueueAdmin.EnsureQueueAsync"/>).</summary>
public sealed class QueueNotFoundException(string queue)
    : QueueException(queue, $"The queue '{queue}' does not exist. Declare it first (IQueueAdmin.EnsureQueueAsync).");

/// <summary>
/// The lock token is unknown or its lock has expired; the message is (or will be) delivered again
/// to a receiver, so settling it under this token is no longer possible.
/// </summary>
public sealed class MessageLockLostException(string queue, string lockToken)
    : QueueException(queue, $"The lock token '{lockToken}' of queue '{queue}' is unknown or its lock has expired; the message will be delivered again.")
{
    /// <summary>The token that was presented.</summary>
    public string LockToken { get; } = lockToken;
}

/// <summary>The message is larger than a queue message may be (256 KiB, the Service Bus standard limit).</summary>
public sealed class MessageSizeExceededException(string queue, string messageId, long size, long limit)
    : QueueException(queue, $"The message '{messageId}' for queue '{queue}' is {size} bytes; a queue message may be at most {limit} bytes ({limit / 1024} KiB).")
{
    /// <summary>The message's size in bytes: its body, ids, subject, content type and application properties.</summary>
    public long Size { get; } = size;

    /// <summary>The largest size accepted.</summary>
    public long Limit { get; } = limit;
}
