using System.Data.Common;
using IntegrationHub.Core.Messaging;
using IntegrationHub.Runtime.Queues;
using IntegrationHub.Runtime.RabbitMq;
using Npgsql;

namespace IntegrationHub.Runtime.Store.PostgreSql;

/// <summary>
/// A hub transaction on a PostgreSQL connection of its own: the caller's state changes and inbox
/// records are written as it goes; its messages are kept until the commit and written to the outbox
/// then, in the same transaction, for the relay to publish (RabbitMQ, the transport this store serves).
/// </summary>
internal sealed class PostgresHubTransaction(NpgsqlConnection connection, NpgsqlTransaction transaction, QueueRegistry registry, OutboxRelay relay, OpenTransactions open, TimeProvider time) : IHubStoreTransaction
{
    private readonly List<OutboxEntry> outgoing = [];

    public DbConnection Connection => connection;

    public DbCommand CreateCommand(string sql) => connection.Command(sql);

    public void Send(string queue, OutgoingMessage message)
    {
        QueueRules.Validate(queue, message);
        registry.EnsureKnown(connection, queue);
        var now = time.GetUtcNow();
        outgoing.Add(new OutboxEntry(queue, message, RabbitMqMessages.NewCopyId(), 0, message.ScheduledEnqueueTimeUtc is { } at && at > now ? at : now));
    }

    public void DeadLetter(string queue, OutgoingMessage message, string reason, string? description)
    {
        QueueRules.Validate(queue, message);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        registry.EnsureKnown(connection, queue);
        outgoing.Add(new OutboxEntry(QueueNames.DeadLetterOf(queue), RabbitMqMessages.AsDeadLetter(message, queue, reason, description, time.GetUtcNow()), RabbitMqMessages.NewCopyId(), 0, time.GetUtcNow()));
    }

    public async ValueTask<bool> TryRecordProcessedAsync(string consumer, string messageId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(consumer);
        ArgumentException.ThrowIfNullOrWhiteSpace(messageId);
        await using var insert = CreateCommand("INSERT INTO hub_inbox (consumer, message_id, processed_at) VALUES (@consumer, @id, @at) ON CONFLICT (consumer, message_id) DO NOTHING")
            .Param("@consumer", consumer).Param("@id", messageId).Param("@at", time.GetUtcNow().Ms());
        return await insert.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async ValueTask CommitAsync(CancellationToken cancellationToken)
    {
        if (outgoing.Count > 0)
        {
            await PostgresBrokerStore.InsertAsync(connection, outgoing, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        if (outgoing.Count > 0)
        {
            relay.Notify();
        }
    }

    public async ValueTask DisposeAsync()
    {
        open.Ended(this);
        // Disposing a transaction that did not commit rolls it back.
        await transaction.DisposeAsync();
        await connection.DisposeAsync();
    }
}
