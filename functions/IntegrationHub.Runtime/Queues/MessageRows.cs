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
    public static OutgoingMessage Read(DbDataReader reader) => new()
    {
        MessageId = reader.Text("message_id"),
        Body = reader.Bytes("body"),
        CorrelationId = reader.TextOrNull("correlation_id"),
        Subject = reader.TextOrNull("subject"),
        ContentType = reader.Text("content_type"),
        ApplicationProperties = QueueRules.ReadProperties(reader.TextOrNull("properties")),
    };
}
