using Microsoft.Extensions.Logging;

namespace IntegrationHub.Runtime;

/// <summary>The runtime's log lines. Message ids and queue names only: never a message body.</summary>
internal static partial class Log
{
    // 100–199: the hub database
    [LoggerMessage(100, LogLevel.Information, "Applied hub database migration {Version} ({Name})")]
    public static partial void MigrationApplied(ILogger logger, long version, string name);

    [LoggerMessage(101, LogLevel.Warning, "The hub database is locked by another process (SQLite error {ErrorCode}); retrying")]
    public static partial void WriterBusy(ILogger logger, int errorCode, Exception exception);

    [LoggerMessage(102, LogLevel.Error, "A commit of {Count} hub database operations failed; each caller gets the error")]
    public static partial void WriterCommitFailed(ILogger logger, int count, Exception exception);

    [LoggerMessage(103, LogLevel.Warning, "Rolling back a failed hub database commit failed")]
    public static partial void WriterRollbackFailed(ILogger logger, Exception exception);

    [LoggerMessage(104, LogLevel.Critical, "The hub database cannot be opened")]
    public static partial void WriterCannotOpen(ILogger logger, Exception exception);

    [LoggerMessage(105, LogLevel.Information, "Removed {DuplicateIds} expired duplicate-detection ids and {InboxIds} inbox records past retention")]
    public static partial void Pruned(ILogger logger, int duplicateIds, int inboxIds);

    [LoggerMessage(106, LogLevel.Warning, "Pruning the hub database failed; trying again later")]
    public static partial void PruneFailed(ILogger logger, Exception exception);

    [LoggerMessage(107, LogLevel.Information, "Hub instance {Instance} started on the {Store} store and the {Transport} transport")]
    public static partial void InstanceStarted(ILogger logger, string instance, string store, string transport);

    // 300–399: RabbitMQ
    [LoggerMessage(300, LogLevel.Information, "Connected to RabbitMQ at {Endpoint} ({Purpose})")]
    public static partial void RabbitConnected(ILogger logger, string endpoint, string purpose);

    [LoggerMessage(302, LogLevel.Warning, "The RabbitMQ connection ({Purpose}) was lost: {Reason}")]
    public static partial void RabbitConnectionLost(ILogger logger, string purpose, string reason);

    [LoggerMessage(303, LogLevel.Information, "The RabbitMQ connection ({Purpose}) recovered")]
    public static partial void RabbitConnectionRecovered(ILogger logger, string purpose);

    [LoggerMessage(304, LogLevel.Warning, "Relaying {Count} outbox messages to the broker failed; they stay in the outbox and are retried")]
    public static partial void RelayFailed(ILogger logger, int count, Exception exception);

    [LoggerMessage(305, LogLevel.Information, "The lock on message {MessageId} of queue {Queue} expired; it is returned to the queue")]
    public static partial void RabbitLockExpired(ILogger logger, string messageId, string queue);

    [LoggerMessage(306, LogLevel.Information, "Dropped duplicate message {MessageId} on queue {Queue}")]
    public static partial void DuplicateDropped(ILogger logger, string messageId, string queue);

    [LoggerMessage(307, LogLevel.Warning, "Checking {Count} deliveries of queue {Queue} against the store failed; they are returned to the broker")]
    public static partial void AcceptFailed(ILogger logger, int count, string queue, Exception exception);

    [LoggerMessage(308, LogLevel.Warning, "The outbox relay cannot reach the hub store; trying again")]
    public static partial void RelayStoreFailed(ILogger logger, Exception exception);

    [LoggerMessage(309, LogLevel.Information, "The lock on pulled message {MessageId} of queue {Queue} ran out; it is returned to the queue")]
    public static partial void HeldLockExpired(ILogger logger, string messageId, string queue);

    [LoggerMessage(310, LogLevel.Warning, "Listening for outbox notifications failed; the relay polls meanwhile and listens again in {Delay}")]
    public static partial void OutboxListenFailed(ILogger logger, TimeSpan delay, Exception exception);

    // 600–699: Azure Service Bus
    [LoggerMessage(600, LogLevel.Information, "Opened a Service Bus receiver of {Queue} (prefetch {Prefetch})")]
    public static partial void ServiceBusReceiverOpened(ILogger logger, string queue, int prefetch);

    [LoggerMessage(601, LogLevel.Warning, "A settlement no receiver sees (a duplicate, a dead letter) failed ({Reason}); the message comes back and is sorted out again")]
    public static partial void ServiceBusSettleFailed(ILogger logger, string reason, Exception exception);

    [LoggerMessage(602, LogLevel.Information, "A message of {Queue} was delayed after its lock ran out; its copy comes after the delay and the message itself is dropped as its duplicate")]
    public static partial void ServiceBusDelayedAfterLockLost(ILogger logger, string queue, Exception exception);

    [LoggerMessage(603, LogLevel.Information, "Created the Service Bus queue {Queue} in {Namespace}")]
    public static partial void ServiceBusQueueCreated(ILogger logger, string queue, string @namespace);

    [LoggerMessage(604, LogLevel.Warning, "The Service Bus queue {Queue} had lock duration {LockDuration} and max delivery count {MaxDeliveryCount}; set to the hub's {HubLockDuration} and {HubMaxDeliveryCount}")]
    public static partial void ServiceBusQueueUpdated(ILogger logger, string queue, TimeSpan lockDuration, int maxDeliveryCount, TimeSpan hubLockDuration, int hubMaxDeliveryCount);

    [LoggerMessage(605, LogLevel.Warning, "The Service Bus queue {Queue} has duplicate detection on (window {Window}), which cannot be turned off: a dead letter replayed within the window is dropped by the namespace. Recreate the queue without it")]
    public static partial void ServiceBusQueueDeduplicates(ILogger logger, string queue, TimeSpan window);

    // 400–499: queue functions
    [LoggerMessage(400, LogLevel.Information, "Queue function {Function} listens on {Queue} (concurrency {Concurrency}, prefetch {Prefetch}, auto-complete {AutoComplete})")]
    public static partial void FunctionStarted(ILogger logger, string function, string queue, int concurrency, int prefetch, bool autoComplete);

    [LoggerMessage(401, LogLevel.Warning, "Queue function {Function} failed on message {MessageId} (delivery {DeliveryCount}); it is retried in {Delay}")]
    public static partial void FunctionFailedWillRetry(ILogger logger, string function, string messageId, int deliveryCount, TimeSpan delay, Exception exception);

    [LoggerMessage(402, LogLevel.Error, "Queue function {Function} failed on message {MessageId} (delivery {DeliveryCount}); it is dead-lettered: {Reason}")]
    public static partial void FunctionDeadLettered(ILogger logger, string function, string messageId, int deliveryCount, string reason, Exception? exception);

    [LoggerMessage(403, LogLevel.Warning, "Settling message {MessageId} for queue function {Function} failed; it will be delivered again")]
    public static partial void SettleFailed(ILogger logger, string messageId, string function, Exception exception);

    [LoggerMessage(404, LogLevel.Warning, "Receiving from queue {Queue} for queue function {Function} failed; trying again")]
    public static partial void ReceiveFailed(ILogger logger, string queue, string function, Exception exception);

    [LoggerMessage(405, LogLevel.Warning, "Renewing the lock of message {MessageId} for queue function {Function} failed")]
    public static partial void RenewFailed(ILogger logger, string messageId, string function, Exception exception);

    [LoggerMessage(406, LogLevel.Information, "Queue function {Function} stopped; {Abandoned} received messages were returned to {Queue}")]
    public static partial void FunctionStopped(ILogger logger, string function, int abandoned, string queue);

    // 500–599: timer functions
    [LoggerMessage(500, LogLevel.Information, "Timer function {Function} runs every {Schedule}")]
    public static partial void TimerStarted(ILogger logger, string function, TimeSpan schedule);

    [LoggerMessage(501, LogLevel.Error, "Timer function {Function} failed; it runs again at its next occurrence")]
    public static partial void TimerFailed(ILogger logger, string function, Exception exception);

    [LoggerMessage(502, LogLevel.Warning, "Timer function {Function} could not take or keep its lease")]
    public static partial void TimerLeaseFailed(ILogger logger, string function, Exception exception);
}
