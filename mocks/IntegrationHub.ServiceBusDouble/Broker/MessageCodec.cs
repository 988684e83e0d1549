using Microsoft.Azure.Amqp;
using Microsoft.Azure.Amqp.Encoding;
using Microsoft.Azure.Amqp.Framing;

namespace IntegrationHub.ServiceBusDouble.Broker;

/// <summary>
/// Reads messages as the SDK sends them and writes them as Service Bus delivers them: the names and
/// types below are the ones <c>AmqpMessageConverter</c> and <c>ServiceBusReceivedMessage</c> read.
/// </summary>
internal static class MessageCodec
{
    /// <summary>The message format of an SDK batch: one encoded message per Data section.</summary>
    public const uint BatchFormat = 0x80013700;

    public const string SequenceNumber = "x-opt-sequence-number";
    public const string EnqueuedTime = "x-opt-enqueued-time";
    public const string LockedUntil = "x-opt-locked-until";
    public const string ScheduledEnqueueTime = "x-opt-scheduled-enqueue-time";
    public const string MessageStateName = "x-opt-message-state";
    public const string DeadLetterReason = "DeadLetterReason";
    public const string DeadLetterErrorDescription = "DeadLetterErrorDescription";

    /// <summary>The encoded messages one transfer carries: itself, or each message of a batch.</summary>
    public static IReadOnlyList<byte[]> Split(AmqpMessage transfer)
    {
        if (transfer.MessageFormat != BatchFormat)
        {
            return [RawBytes(transfer)];
        }

        var messages = new List<byte[]>();
        foreach (Data data in transfer.DataBody)
        {
            messages.Add(((ArraySegment<byte>)data.Value).ToArray());
        }

        return messages;
    }

    public static IncomingMessageInfo Read(byte[] encoded)
    {
        using AmqpMessage message = Open(encoded);
        string? messageId = message.Properties?.MessageId?.ToString();
        TimeSpan? ttl = message.Header?.Ttl is uint ms ? TimeSpan.FromMilliseconds(ms) : null;
        DateTimeOffset? scheduled = null;
        if (message.MessageAnnotations?.Map[ScheduledEnqueueTime] is DateTime at)
        {
            scheduled = new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc));
        }

        return new IncomingMessageInfo(messageId, ttl, scheduled);
    }

    /// <summary>The message as a receiver gets it: header delivery count and the broker's annotations.</summary>
    public static AmqpMessage ForDelivery(StoredMessage stored, int headerDeliveryCount)
    {
        AmqpMessage message = Open(stored.Encoded);
        message.Header.DeliveryCount = (uint)headerDeliveryCount;
        Annotations annotations = message.MessageAnnotations.Map;
        annotations[SequenceNumber] = stored.SequenceNumber;
        annotations[EnqueuedTime] = stored.EnqueuedTime.UtcDateTime;
        if (stored.IsLocked)
        {
            annotations[LockedUntil] = stored.LockedUntil.UtcDateTime;
        }

        if (stored.State != MessageState.Active)
        {
            annotations[MessageStateName] = (int)stored.State;
        }

        return message;
    }

    /// <summary>The encoded message a <c>$management</c> reply carries in its <c>message</c> field.</summary>
    public static ArraySegment<byte> Encode(AmqpMessage message)
    {
        using (message)
        {
            return new ArraySegment<byte>(Concat(message.GetPayload()));
        }
    }

    /// <summary>The message with application properties set, as a settlement's properties-to-modify does.</summary>
    public static byte[] WithApplicationProperties(byte[] encoded, IEnumerable<KeyValuePair<string, object?>> changes)
    {
        using AmqpMessage message = Open(encoded);
        PropertiesMap map = message.ApplicationProperties?.Map ?? (message.ApplicationProperties = new ApplicationProperties()).Map;
        foreach ((string key, object? value) in changes)
        {
            map[key] = value;
        }

        return Concat(message.GetPayload());
    }

    public static AmqpMessage Open(byte[] encoded) =>
        AmqpMessage.CreateAmqpStreamMessage(new BufferListStream([new ArraySegment<byte>(encoded)]));

    static byte[] RawBytes(AmqpMessage received)
    {
        using var stream = (BufferListStream)((BufferListStream)received.ToStream()).Clone();
        stream.Position = 0;
        return stream.ReadBytes((int)stream.Length).ToArray();
    }

    static byte[] Concat(ArraySegment<byte>[] segments)
    {
        var bytes = new byte[segments.Sum(s => s.Count)];
        int offset = 0;
        foreach (ArraySegment<byte> segment in segments)
        {
            segment.AsSpan().CopyTo(bytes.AsSpan(offset));
            offset += segment.Count;
        }

        return bytes;
    }
}
