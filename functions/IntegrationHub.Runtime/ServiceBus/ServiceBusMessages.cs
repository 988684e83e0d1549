using System.Collections.Frozen;
using System.Globalization;
using Azure.Messaging.ServiceBus;
using IntegrationHub.Core.Messaging;
using IntegrationHub.Runtime.Queues;
using IntegrationHub.Runtime.RabbitMq;

namespace IntegrationHub.Runtime.ServiceBus;

/// <summary>
/// How a hub message travels on Service Bus: its properties as the SDK's, application properties as
/// they are, and the hub's own bookkeeping in <c>x-hub-*</c> application properties, which a receiver
/// never sees: the copy (for the hub's duplicate claims), the deliveries a delayed copy carries, and
/// a dead letter's reason and time. The names are the RabbitMQ transport's, so that a message means the
/// same on either broker.
/// </summary>
internal static class ServiceBusMessages
{
    /// <summary>When a copy in the outbox is to be enqueued (a delay): the relay schedules it natively for then.</summary>
    public const string ScheduledHeader = "x-hub-scheduled";

    private const string DeadLetterReasonProperty = "DeadLetterReason";
    private const string DeadLetterDescriptionProperty = "DeadLetterErrorDescription";

    /// <summary>The message as the SDK sends it: a copy of its own, carrying <paramref name="deliveries"/> so far.</summary>
    public static ServiceBusMessage ToServiceBus(OutgoingMessage message, string copyId, int deliveries, DateTimeOffset? scheduledFor)
    {
        var sent = new ServiceBusMessage(BinaryData.FromBytes(message.Body))
        {
            MessageId = message.MessageId,
            CorrelationId = message.CorrelationId,
            Subject = message.Subject,
            ContentType = message.ContentType,
        };
        foreach (var (key, value) in message.ApplicationProperties)
        {
            if (key != ScheduledHeader)
            {
                sent.ApplicationProperties[key] = value;
            }
        }

        sent.ApplicationProperties[RabbitMqMessages.CopyHeader] = copyId;
        if (deliveries > 0)
        {
            sent.ApplicationProperties[RabbitMqMessages.DeliveriesHeader] = deliveries;
        }

        if (scheduledFor is { } at)
        {
            sent.ScheduledEnqueueTime = at;
        }

        return sent;
    }

    /// <summary>A message read from <paramref name="queue"/>, under its lock (<paramref name="lockToken"/>) or peeked (empty token).</summary>
    public static ReceivedMessage Read(string queue, ServiceBusReceivedMessage message, string lockToken)
    {
        var deadLetters = QueueNames.IsDeadLetter(queue);
        return new ReceivedMessage
        {
            Queue = queue,
            MessageId = message.MessageId ?? "",
            Body = message.Body.ToMemory(),
            CorrelationId = message.CorrelationId,
            Subject = message.Subject,
            ContentType = message.ContentType ?? "application/json",
            ApplicationProperties = ApplicationProperties(message.ApplicationProperties),
            SequenceNumber = message.SequenceNumber,
            DeliveryCount = Deliveries(message),
            EnqueuedTimeUtc = message.EnqueuedTime,
            LockToken = lockToken,
            LockedUntilUtc = lockToken.Length == 0 ? default : message.LockedUntil,
            DeadLetterReason = deadLetters ? message.DeadLetterReason : null,
            DeadLetterErrorDescription = deadLetters ? message.DeadLetterErrorDescription : null,
            // Service Bus names the source only of a dead letter forwarded from another entity.
            DeadLetterSource = deadLetters ? message.DeadLetterSource ?? QueueNames.SourceOf(queue) : null,
            DeadLetteredTimeUtc = deadLetters && Number(message, RabbitMqMessages.DeadLetteredHeader) is > 0 and var at ? DateTimeOffset.FromUnixTimeMilliseconds(at) : null,
        };
    }

    /// <summary>Deliveries so far: the namespace's count of this copy's, and those the copy carries from before a delay.</summary>
    public static int Deliveries(ServiceBusReceivedMessage message) => message.DeliveryCount + (int)Number(message, RabbitMqMessages.DeliveriesHeader);

    /// <summary>
    /// Which copy of its message id this is: the hub's copy id, or for a message another sender wrote,
    /// its sequence number (which a redelivery keeps).
    /// </summary>
    public static string CopyOf(ServiceBusReceivedMessage message) =>
        Text(message, RabbitMqMessages.CopyHeader) ?? $"sb:{message.SequenceNumber.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Whether the namespace delivered this copy before (a lock that ran out, or was given back).</summary>
    public static bool Redelivered(ServiceBusReceivedMessage message) => message.DeliveryCount > 1;

    /// <summary>A dead letter a hub transaction wrote (its reason), sent to its queue for the queue's next receiver to dead-letter.</summary>
    public static string? DeadLetterReasonOf(ServiceBusReceivedMessage message) => Text(message, RabbitMqMessages.ReasonHeader);

    /// <summary>The description a hub transaction gave the dead letter it wrote.</summary>
    public static string? DeadLetterDescriptionOf(ServiceBusReceivedMessage message) => Text(message, RabbitMqMessages.DescriptionHeader);

    /// <summary>What a dead-lettering changes on the message: when it was dead-lettered, unless it says already.</summary>
    public static Dictionary<string, object> DeadLettered(ServiceBusReceivedMessage? message, DateTimeOffset now) => new(StringComparer.Ordinal)
    {
        [RabbitMqMessages.DeadLetteredHeader] = message is not null && Number(message, RabbitMqMessages.DeadLetteredHeader) is > 0 and var at ? at : now.ToUnixTimeMilliseconds(),
    };

    /// <summary>When a copy the outbox keeps for later (<see cref="ScheduledFor"/>) is to be enqueued; null for one due now.</summary>
    public static DateTimeOffset? ScheduledTimeOf(OutgoingMessage message) =>
        message.ApplicationProperties.TryGetValue(ScheduledHeader, out var at) && long.TryParse(at, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms)
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : null;

    /// <summary>The message as the outbox keeps a copy due at <paramref name="at"/>.</summary>
    public static OutgoingMessage ScheduledFor(OutgoingMessage message, DateTimeOffset at) => message with
    {
        ApplicationProperties = new Dictionary<string, string>(message.ApplicationProperties, StringComparer.Ordinal)
        {
            [ScheduledHeader] = at.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
        },
    };

    /// <summary>
    /// The sender's application properties: not the hub's own, nor the two a dead-lettering adds
    /// (Service Bus keeps a dead letter's reason and description as application properties; the
    /// received message has them as its own fields).
    /// </summary>
    private static IReadOnlyDictionary<string, string> ApplicationProperties(IReadOnlyDictionary<string, object> properties)
    {
        Dictionary<string, string>? kept = null;
        foreach (var (key, value) in properties)
        {
            if (!key.StartsWith(QueueRules.ReservedPropertyPrefix, StringComparison.Ordinal) && key is not (DeadLetterReasonProperty or DeadLetterDescriptionProperty))
            {
                kept ??= new Dictionary<string, string>(StringComparer.Ordinal);
                kept[key] = Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
            }
        }

        return kept is null ? FrozenDictionary<string, string>.Empty : kept;
    }

    private static string? Text(ServiceBusReceivedMessage message, string name) =>
        message.ApplicationProperties.TryGetValue(name, out var value) ? Convert.ToString(value, CultureInfo.InvariantCulture) : null;

    private static long Number(ServiceBusReceivedMessage message, string name) => message.ApplicationProperties.TryGetValue(name, out var value)
        ? value switch
        {
            long l => l,
            int i => i,
            string s when long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => 0,
        }
        : 0;
}
