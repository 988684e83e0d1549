namespace IntegrationHub.Core.Messaging;

/// <summary>Sending a received message again.</summary>
public static class ReceivedMessageExtensions
{
    /// <summary>
    /// The message as it is sent again (a delay, a replay): its id, correlation id, subject, content type
    /// and properties, with <paramref name="body"/> in place of its own when given (an operator's correction).
    /// </summary>
    public static OutgoingMessage AsOutgoing(this ReceivedMessage message, ReadOnlyMemory<byte>? body = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new OutgoingMessage
        {
            MessageId = message.MessageId,
            Body = body ?? message.Body,
            CorrelationId = message.CorrelationId,
            Subject = message.Subject,
            ContentType = message.ContentType,
            ApplicationProperties = message.ApplicationProperties,
        };
    }
}
