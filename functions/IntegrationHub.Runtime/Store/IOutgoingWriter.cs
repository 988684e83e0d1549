using IntegrationHub.Core.Messaging;
using Microsoft.Data.Sqlite;

namespace IntegrationHub.Runtime.Store;

/// <summary>How a transport writes a transaction's outgoing messages, and what it does once they are committed.</summary>
internal interface IOutgoingWriter
{
    /// <summary>Writes the message on the transaction's connection; throws <see cref="QueueNotFoundException"/> for an undeclared queue.</summary>
    void Write(SqliteConnection connection, string queue, OutgoingMessage message);

    /// <summary>Writes the message into the queue's dead-letter queue with a reason and a description.</summary>
    void WriteDeadLetter(SqliteConnection connection, string queue, OutgoingMessage message, string reason, string? description);

    /// <summary>After the commit: wake whoever delivers them.</summary>
    void Committed(IReadOnlyCollection<string> queues);
}
