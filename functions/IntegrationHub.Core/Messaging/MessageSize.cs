using System.Text;

namespace IntegrationHub.Core.Messaging;

/// <summary>How large a queue message may be, on every transport: 256 KiB, as on Service Bus standard.</summary>
public static class MessageSize
{
    /// <summary>The largest message, in bytes: its body, ids, subject, content type and application properties.</summary>
    public const int Limit = 256 * 1024;

    /// <summary>The size that counts against the limit: body, ids, subject, content type and properties.</summary>
    public static long Of(MessageContent message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return message.Body.Length
            + Utf8(message.MessageId) + Utf8(message.CorrelationId) + Utf8(message.Subject) + Utf8(message.ContentType)
            + message.ApplicationProperties.Sum(p => Utf8(p.Key) + Utf8(p.Value));
    }

    /// <summary>Refuses a message too large for <paramref name="queue"/>, before anything is written.</summary>
    /// <exception cref="MessageSizeExceededException">It is.</exception>
    public static void EnsureFits(string queue, OutgoingMessage message)
    {
        var size = Of(message);
        if (size > Limit)
        {
            throw new MessageSizeExceededException(queue, message.MessageId, size, Limit);
        }
    }

    private static int Utf8(string? value) => value is null ? 0 : Encoding.UTF8.GetByteCount(value);
}
