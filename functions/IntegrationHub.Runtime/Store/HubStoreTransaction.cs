using System.Data.Common;
using IntegrationHub.Core.Messaging;
using IntegrationHub.Runtime.Queues;
using Microsoft.Data.Sqlite;

namespace IntegrationHub.Runtime.Store;

/// <summary>
/// A hub transaction on the writer's connection: the caller's state changes, its inbox records and
/// its messages (written by the transport's <see cref="IOutgoingWriter"/>) commit together.
/// </summary>
internal sealed class HubStoreTransaction(WriterTransaction transaction, IOutgoingWriter outgoing, TimeProvider time) : IHubStoreTransaction
{
    private readonly HashSet<string> queuesSentTo = new(StringComparer.Ordinal);
    private bool committed;

    public DbConnection Connection => transaction.Connection;

    public DbCommand CreateCommand(string sql) => transaction.Connection.Command(sql);

    public void Send(string queue, OutgoingMessage message)
    {
        QueueRules.Validate(queue, message);
        outgoing.Write(transaction.Connection, queue, message);
        queuesSentTo.Add(queue);
    }

    public void DeadLetter(string queue, OutgoingMessage message, string reason, string? description)
    {
        QueueRules.Validate(queue, message);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        outgoing.WriteDeadLetter(transaction.Connection, queue, message, reason, description);
    }

    public ValueTask<bool> TryRecordProcessedAsync(string consumer, string messageId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(consumer);
        ArgumentException.ThrowIfNullOrWhiteSpace(messageId);
        var insert = transaction.Connection.Prepared("""
            INSERT INTO hub_inbox (consumer, message_id, processed_at) VALUES ($consumer, $id, $at)
            ON CONFLICT (consumer, message_id) DO NOTHING;
            """).With("$consumer", consumer).With("$id", messageId).With("$at", time.GetUtcNow().ToUnixMs());
        return ValueTask.FromResult(insert.ExecuteNonQuery() == 1);
    }

    public async ValueTask CommitAsync(CancellationToken cancellationToken)
    {
        committed = true;
        await transaction.CommitAsync(cancellationToken);
        outgoing.Committed(queuesSentTo);
    }

    public ValueTask DisposeAsync()
    {
        if (!committed)
        {
            transaction.Rollback();
        }

        return ValueTask.CompletedTask;
    }
}

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

/// <summary>Begins hub transactions on the hub writer for a transport.</summary>
internal sealed class HubTransactions(HubWriter writer, IOutgoingWriter outgoing, TimeProvider time) : IHubTransactions
{
    // Not async: the writer marks this flow as inside a transaction, and that mark must reach the caller.
    public ValueTask<IHubTransaction> BeginAsync(CancellationToken cancellationToken) => new(StartAsync(writer.BeginAsync(cancellationToken)));

    private async Task<IHubTransaction> StartAsync(Task<WriterTransaction> started) => new HubStoreTransaction(await started, outgoing, time);
}
