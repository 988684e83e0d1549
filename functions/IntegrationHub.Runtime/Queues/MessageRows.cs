using System.Data.Common;
using IntegrationHub.Core.Messaging;
using IntegrationHub.Runtime.Store;

namespace IntegrationHub.Runtime.Queues;

/// <summary>
/// A message as every table of the store keeps it (queue rows, the outbox, held messages): its id,
/// body, correlation id, subject, content type and application properties, in columns of those names.
/// </summary>
internal static class MessageRows
{
    public static OutgoingMessage Read(DbDataReader reader) => Of(
        reader.Text("message_id"), reader.Bytes("body"), reader.TextOrNull("correlation_id"), reader.TextOrNull("subject"), reader.Text("content_type"), reader.TextOrNull("properties"));

    /// <summary>The message as <see cref="Read"/> reads it back once written: what a row keeps, nothing more.</summary>
    public static OutgoingMessage AsStored(MessageContent message) => Of(
        message.MessageId, message.Body, message.CorrelationId, message.Subject, message.ContentType, QueueRules.WriteProperties(message.ApplicationProperties));

    private static OutgoingMessage Of(string messageId, ReadOnlyMemory<byte> body, string? correlationId, string? subject, string contentType, string? properties) => new()
    {
        MessageId = messageId,
        Body = body,
        CorrelationId = correlationId,
        Subject = subject,
        ContentType = contentType,
        ApplicationProperties = QueueRules.ReadProperties(properties),
    };
}
