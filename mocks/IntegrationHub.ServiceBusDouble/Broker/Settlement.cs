using Microsoft.Azure.Amqp;

namespace IntegrationHub.ServiceBusDouble.Broker;

/// <summary>A receive link the queue delivers to (the server end of a client's receiver).</summary>
internal interface IDeliveryTarget
{
    /// <summary>True for a receive-and-delete receiver: messages leave the queue as they are sent.</summary>
    bool ReceiveAndDelete { get; }

    /// <summary>True while the client has granted link credit.</summary>
    bool HasCredit { get; }

    /// <summary>Sends the message under its lock token; false when the link had no credit after all.</summary>
    bool TrySend(AmqpMessage message, Guid lockToken);
}

/// <summary>The four ways a receiver settles a peek-locked message.</summary>
internal enum SettlementKind
{
    Complete,
    Abandon,
    Defer,
    DeadLetter,

    /// <summary>AMQP released: the receiver gives the message back without it counting as a delivery.</summary>
    Release,
}

/// <summary>A settlement with what it changes: application properties, and a dead-letter reason.</summary>
internal sealed record Settlement(
    SettlementKind Kind,
    IReadOnlyDictionary<string, object?>? PropertiesToModify = null,
    string? DeadLetterReason = null,
    string? DeadLetterDescription = null);

/// <summary>What became of a settlement.</summary>
internal enum SettleResult
{
    Settled,

    /// <summary>The lock token is unknown or its lock expired: <c>com.microsoft:message-lock-lost</c>.</summary>
    LockLost,

    /// <summary>Dead-lettering from a dead-letter queue, which Service Bus does not allow.</summary>
    NotAllowed,
}

/// <summary>The counts <c>QueueRuntimeProperties</c> reports.</summary>
internal readonly record struct QueueCounts(long Active, long DeadLetter, long Scheduled, long Total, long SizeInBytes);
