using System.Collections.Frozen;
using System.Globalization;
using System.Text;
using IntegrationHub.Core.Messaging;
using IntegrationHub.Runtime.Queues;
using RabbitMQ.Client;

namespace IntegrationHub.Runtime.RabbitMq;

/// <summary>
/// How a hub message travels on RabbitMQ: Service Bus properties as AMQP properties, application
/// properties as headers, and the hub's own bookkeeping in <c>x-hub-*</c> headers.
/// </summary>
internal static class RabbitMqMessages
{
    /// <summary>Identifies one copy of a message: a resend is a new copy, a redelivery or replay the same one.</summary>
    public const string CopyHeader = "x-hub-copy";
    public const string EnqueuedHeader = "x-hub-enqueued";
    public const string SequenceHeader = "x-hub-sequence";

    /// <summary>Deliveries the message had before it was last published (delayed abandon carries them over).</summary>
    public const string DeliveriesHeader = "x-hub-deliveries";
    public const string ReasonHeader = "x-hub-dead-letter-reason";
    public const string DescriptionHeader = "x-hub-dead-letter-description";
    public const string SourceHeader = "x-hub-dead-letter-source";
    public const string DeadLetteredHeader = "x-hub-dead-lettered";

    /// <summary>Deliveries so far as the quorum queue counts them (returns and lock losses included).</summary>
    private const string QuorumDeliveryCount = "x-delivery-count";

    private static long lastSequence;

    /// <summary>A new copy id: a message published afresh (a send, or the hub publishing it again on purpose).</summary>
    public static string NewCopyId() => Guid.NewGuid().ToString("N");

    /// <summary>The message as its queue's dead-letter queue keeps it: the reason, description and source in its headers.</summary>
    public static OutgoingMessage AsDeadLetter(OutgoingMessage message, string queue, string reason, string? description, DateTimeOffset at)
    {
        var properties = new Dictionary<string, string>(message.ApplicationProperties, StringComparer.Ordinal)
        {
            [ReasonHeader] = reason,
            [SourceHeader] = queue,
            [DeadLetteredHeader] = at.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        if (description is not null)
        {
            properties[DescriptionHeader] = description;
        }

        return message with { ApplicationProperties = properties };
    }

    /// <summary>A process-wide increasing sequence number, from the clock, for a message's position.</summary>
    public static long NextSequence(TimeProvider time)
    {
        var candidate = time.GetUtcNow().ToUnixTimeMilliseconds() * 1000;
        while (true)
        {
            var last = Interlocked.Read(ref lastSequence);
            var next = Math.Max(candidate, last + 1);
            if (Interlocked.CompareExchange(ref lastSequence, next, last) == last)
            {
                return next;
            }
        }
    }

    public static BasicProperties Properties(OutgoingMessage message, string copyId, long sequence, DateTimeOffset enqueued, int deliveries)
    {
        var headers = new Dictionary<string, object?>(message.ApplicationProperties.Count + 4, StringComparer.Ordinal);
        foreach (var (key, value) in message.ApplicationProperties)
        {
            headers[key] = value;
        }

        headers[CopyHeader] = copyId;
        headers[SequenceHeader] = sequence;
        headers[EnqueuedHeader] = enqueued.ToUnixTimeMilliseconds();
        if (deliveries > 0)
        {
            headers[DeliveriesHeader] = deliveries;
        }

        return new BasicProperties
        {
            MessageId = message.MessageId,
            CorrelationId = message.CorrelationId,
            Type = message.Subject,
            ContentType = message.ContentType,
            DeliveryMode = DeliveryModes.Persistent,
            Headers = headers,
        };
    }

    /// <summary>The message as received: its properties, and its delivery count including this delivery.</summary>
    public static ReceivedMessage Read(string queue, IReadOnlyBasicProperties properties, ReadOnlyMemory<byte> body)
    {
        var headers = properties.Headers ?? FrozenDictionary<string, object?>.Empty;
        return new ReceivedMessage
        {
            Queue = queue,
            MessageId = properties.MessageId ?? "",
            Body = body,
            CorrelationId = properties.CorrelationId,
            Subject = properties.Type,
            ContentType = properties.ContentType ?? "application/json",
            ApplicationProperties = ApplicationProperties(headers),
            SequenceNumber = Number(headers, SequenceHeader),
            DeliveryCount = (int)(Number(headers, DeliveriesHeader) + Number(headers, QuorumDeliveryCount) + 1),
            EnqueuedTimeUtc = DateTimeOffset.FromUnixTimeMilliseconds(Number(headers, EnqueuedHeader)),
            DeadLetterReason = Text(Header(headers, ReasonHeader)),
            DeadLetterErrorDescription = Text(Header(headers, DescriptionHeader)),
            DeadLetterSource = Text(Header(headers, SourceHeader)),
            DeadLetteredTimeUtc = Number(headers, DeadLetteredHeader) is > 0 and var at ? DateTimeOffset.FromUnixTimeMilliseconds(at) : null,
        };
    }

    private static IReadOnlyDictionary<string, string> ApplicationProperties(IDictionary<string, object?> headers)
    {
        Dictionary<string, string>? properties = null;
        foreach (var (key, value) in headers)
        {
            if (!key.StartsWith(QueueRules.ReservedPropertyPrefix, StringComparison.Ordinal))
            {
                properties ??= new Dictionary<string, string>(StringComparer.Ordinal);
                properties[key] = Text(value) ?? "";
            }
        }

        return properties is null ? FrozenDictionary<string, string>.Empty : properties;
    }

    public static string CopyOf(IReadOnlyBasicProperties properties) => (properties.Headers is { } headers ? Text(Header(headers, CopyHeader)) : null) ?? "";

    /// <summary>The message as it is published again (dead-lettered, delayed or replayed): the same copy, new bookkeeping.</summary>
    public static BasicProperties Republish(IReadOnlyBasicProperties original, int deliveries, IEnumerable<KeyValuePair<string, object?>> extra)
    {
        var headers = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, value) in original.Headers ?? FrozenDictionary<string, object?>.Empty)
        {
            if (!key.StartsWith("x-", StringComparison.Ordinal) || key is CopyHeader or SequenceHeader or EnqueuedHeader)
            {
                headers[key] = value;
            }
        }

        if (deliveries > 0)
        {
            headers[DeliveriesHeader] = deliveries;
        }

        foreach (var (key, value) in extra)
        {
            headers[key] = value;
        }

        return new BasicProperties(original) { Headers = headers, DeliveryMode = DeliveryModes.Persistent };
    }

    private static object? Header(IDictionary<string, object?> headers, string name) => headers.TryGetValue(name, out var value) ? value : null;

    private static long Number(IDictionary<string, object?> headers, string name) => Header(headers, name) switch
    {
        long value => value,
        int value => value,
        short value => value,
        byte value => value,
        byte[] bytes when long.TryParse(Encoding.UTF8.GetString(bytes), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => 0,
    };

    private static string? Text(object? value) => value switch
    {
        null => null,
        byte[] bytes => Encoding.UTF8.GetString(bytes),
        string text => text,
        _ => Convert.ToString(value, CultureInfo.InvariantCulture),
    };
}
