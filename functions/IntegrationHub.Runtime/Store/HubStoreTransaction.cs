using System.Data.Common;
using IntegrationHub.Core.Messaging;
using IntegrationHub.Runtime.Queues;

namespace IntegrationHub.Runtime.Store;

/// <summary>
/// A hub transaction on the writer's connection: the caller's state changes, its inbox records and
/// its messages (written by the transport's <see cref="IOutgoingWriter"/>) commit together. One that
/// is <paramref name="committedByWriter"/> runs inside a writer operation, which commits it when the
/// work returns (<see cref="HubTransactions.RunAsync"/>).
/// </summary>
internal sealed class HubStoreTransaction(WriterTransaction transaction, IOutgoingWriter outgoing, OpenTransactions open, TimeProvider time, bool committedByWriter = false) : IHubStoreTransaction
{
    private readonly HashSet<string> queuesSentTo = new(StringComparer.Ordinal);
    private bool committed;

    public DbConnection Connection => transaction.Connection;

    /// <summary>A command on the writer's connection: that SQL's statement, prepared once and kept.</summary>
    public DbCommand CreateCommand(string sql) => transaction.Connection.Command(sql);

    public async ValueTask ExecuteWithCommitAsync(DbCommand write, CancellationToken cancellationToken) => await write.ExecuteNonQueryAsync(cancellationToken);

    public async ValueTask ExecuteOneRowWithCommitAsync(DbCommand write, Func<Exception> otherwise, CancellationToken cancellationToken)
    {
        if (await write.ExecuteNonQueryAsync(cancellationToken) != 1)
        {
            throw otherwise();
        }
    }

    public async ValueTask<int[]> ExecuteEachAsync(int count, Func<int, DbCommand> make, CancellationToken cancellationToken)
    {
        var changed = new int[count];
        for (var i = 0; i < count; i++)
        {
            await using var statement = make(i);
            changed[i] = await statement.ExecuteNonQueryAsync(cancellationToken);
        }

        return changed;
    }

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

    public ValueTask<bool> RecordProcessedAsync(string consumer, string messageId, CancellationToken cancellationToken) =>
        TryRecordProcessedAsync(consumer, messageId, cancellationToken);

    public ValueTask<bool> TryRecordProcessedAsync(string consumer, string messageId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(consumer);
        ArgumentException.ThrowIfNullOrWhiteSpace(messageId);
        var insert = transaction.Connection.Prepared("""
            INSERT INTO hub_inbox (consumer, message_id, processed_at) VALUES ($consumer, $id, $at)
            ON CONFLICT (consumer, message_id) DO NOTHING;
            """).Param("$consumer", consumer).Param("$id", messageId).Param("$at", time.GetUtcNow().Ms());
        return ValueTask.FromResult(insert.ExecuteNonQuery() == 1);
    }

    public async ValueTask CommitAsync(CancellationToken cancellationToken)
    {
        if (committedByWriter)
        {
            throw new InvalidOperationException("This hub transaction commits when its work returns (IHubTransactions.RunAsync): return instead of committing.");
        }

        committed = true;
        await transaction.CommitAsync(cancellationToken);
        Committed();
    }

    /// <summary>After the commit: tells the transport's receivers of the queues sent to.</summary>
    internal void Committed() => outgoing.Committed(queuesSentTo);

    public ValueTask DisposeAsync()
    {
        open.Ended(this);
        if (!committed && !committedByWriter)
        {
            transaction.Rollback();
        }

        return ValueTask.CompletedTask;
    }
}
