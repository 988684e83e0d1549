using IntegrationHub.Core.Messaging;
using IntegrationHub.Runtime.Queues;
using IntegrationHub.Runtime.Store;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Runtime.Embedded;

/// <summary>A transaction's messages go straight into the queue table, in the same SQLite transaction.</summary>
internal sealed class EmbeddedOutgoing(QueueRegistry registry, QueueSignals signals, IOptions<MessagingOptions> options, TimeProvider time) : IOutgoingWriter
{
    public void Write(SqliteConnection connection, string queue, OutgoingMessage message)
    {
        registry.EnsureKnown(connection, queue);
        EmbeddedMessages.Insert(connection, queue, [message], time.GetUtcNow(), options.Value.DuplicateDetectionWindow);
    }

    public void WriteDeadLetter(SqliteConnection connection, string queue, OutgoingMessage message, string reason, string? description)
    {
        registry.EnsureKnown(connection, queue);
        EmbeddedMessages.InsertDeadLetter(connection, queue, message, reason, description, time.GetUtcNow());
    }

    public void Committed(IReadOnlyCollection<string> queues)
    {
        foreach (var queue in queues)
        {
            signals.Notify(queue);
        }
    }
}
