using IntegrationHub.Core.Messaging;
using IntegrationHub.Runtime.Queues;
using IntegrationHub.Runtime.Store;
using Microsoft.Data.Sqlite;

namespace IntegrationHub.Runtime.RabbitMq;

/// <summary>A transaction's messages go to the outbox, in the same SQLite transaction as the state change.</summary>
internal sealed class RabbitMqOutgoing(QueueRegistry registry, OutboxRelay relay, TimeProvider time) : IOutgoingWriter
{
    public void Write(SqliteConnection connection, string queue, OutgoingMessage message)
    {
        registry.EnsureKnown(connection, queue);
        var now = time.GetUtcNow();
        var due = message.ScheduledEnqueueTimeUtc is { } at && at > now ? at : now;
        SqliteOutbox.Insert(connection, queue, message, RabbitMqMessages.NewCopyId(), 0, due);
    }

    public void WriteDeadLetter(SqliteConnection connection, string queue, OutgoingMessage message, string reason, string? description)
    {
        registry.EnsureKnown(connection, queue);
        var now = time.GetUtcNow();
        var deadLetter = RabbitMqMessages.AsDeadLetter(message, queue, reason, description, now);
        SqliteOutbox.Insert(connection, QueueNames.DeadLetterOf(queue), deadLetter, RabbitMqMessages.NewCopyId(), 0, now);
    }

    public void Committed(IReadOnlyCollection<string> queues) => relay.Notify();
}
