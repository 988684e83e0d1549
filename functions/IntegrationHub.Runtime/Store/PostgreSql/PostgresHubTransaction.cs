using System.Data.Common;
using IntegrationHub.Core.Messaging;
using IntegrationHub.Runtime.Queues;
using IntegrationHub.Runtime.RabbitMq;
using Npgsql;

namespace IntegrationHub.Runtime.Store.PostgreSql;

/// <summary>
/// A hub transaction on a PostgreSQL connection of its own. Each statement is a round trip to the
/// server, so the transaction sends what it can together: <c>BEGIN</c> goes with the first statement
/// (Npgsql prepends it); statements whose answer the caller needs (reads, updates it counts) go as
/// they come, but an update that must change one row goes with the commit, checked there
/// (<see cref="ExecuteOneRowWithCommitAsync"/>); a flow step's inbox record (<see cref="RecordProcessedAsync"/>), writes nobody reads back (timeline entries, marks on the dossier at a
/// step's end: <see cref="ExecuteWithCommitAsync"/>), the messages written to the outbox (for the
/// relay to publish: RabbitMQ is the transport this store serves; those due at once written claimed
/// for this instance's relay and handed to it after the commit, <see cref="HandedOutbox"/>), when it is
/// this commit's turn and a row is left for any relay the
/// notification that wakes the relays of the other instances (<see cref="OutboxListener"/>,
/// <see cref="OutboxNotices"/>), and <c>COMMIT</c> go as one batch.
/// </summary>
internal sealed class PostgresHubTransaction(NpgsqlConnection connection, NpgsqlTransaction transaction, QueueRegistry registry, OutboxRelay relay, OutboxNotices notices, OpenTransactions open, TimeProvider time) : IHubStoreTransaction
{
    private const string OneRowCheck = "one-row check ";
    private readonly List<OutboxEntry> outgoing = [];
    private readonly List<NpgsqlBatchCommand> withCommit = [];
    private readonly List<Func<Exception>> oneRow = [];
    private (string Consumer, string MessageId)? recorded;

    public DbConnection Connection => connection;

    public DbCommand CreateCommand(string sql) => connection.Command(sql);

    public ValueTask ExecuteWithCommitAsync(DbCommand write, CancellationToken cancellationToken)
    {
        withCommit.Add(PositionalStatements.ForBatch(write));
        return ValueTask.CompletedTask;
    }

    public ValueTask ExecuteOneRowWithCommitAsync(DbCommand write, Func<Exception> otherwise, CancellationToken cancellationToken)
    {
        // Unless the update changed exactly one row, the check casts a text naming it to a number: an error
        // that stops the batch before COMMIT, and whose message says which check failed.
        var statement = PositionalStatements.ForBatch(write);
        statement.CommandText = $"""
            WITH changed AS ({statement.CommandText} RETURNING 1)
            SELECT CASE WHEN COUNT(*) = 1 THEN 1 ELSE ('{OneRowCheck}{oneRow.Count} changed ' || COUNT(*))::int END FROM changed
            """;
        withCommit.Add(statement);
        oneRow.Add(otherwise);
        return ValueTask.CompletedTask;
    }

    public async ValueTask<int[]> ExecuteEachAsync(int count, Func<int, DbCommand> make, CancellationToken cancellationToken)
    {
        if (count == 0)
        {
            return [];
        }

        await using var batch = new NpgsqlBatch(connection, transaction);
        for (var i = 0; i < count; i++)
        {
            await using var statement = make(i);
            batch.BatchCommands.Add(PositionalStatements.ForBatch(statement));
        }

        await batch.ExecuteNonQueryAsync(cancellationToken);
        var changed = new int[count];
        for (var i = 0; i < count; i++)
        {
            changed[i] = batch.BatchCommands[i].RecordsAffected;
        }

        return changed;
    }

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

    public ValueTask<bool> RecordProcessedAsync(string consumer, string messageId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(consumer);
        ArgumentException.ThrowIfNullOrWhiteSpace(messageId);
        // Without ON CONFLICT: a record already there fails the commit's batch, which rolls the effect back.
        withCommit.Insert(0, new NpgsqlBatchCommand("INSERT INTO hub_inbox (consumer, message_id, processed_at) VALUES ($1, $2, $3)")
        {
            Parameters = { new() { Value = consumer }, new() { Value = messageId }, new() { Value = time.GetUtcNow().Ms() } },
        });
        recorded = (consumer, messageId);
        return ValueTask.FromResult(true);
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
        // The rows due now are written claimed for this instance's relay when it takes them (HandedOutbox),
        // and handed to it once committed; the others (scheduled, or the relay's hands full) wait for any relay.
        var now = time.GetUtcNow();
        DateTimeOffset? claimedUntil = outgoing.Count > 0 && relay.Handed.Accepts ? now + SqliteOutbox.ClaimDuration : null;
        var forAnyRelay = outgoing.Exists(e => claimedUntil is null || e.DueAt > now);
        if (outgoing.Count > 0)
        {
            await using var insert = PostgresBrokerStore.Insert(connection, outgoing, e => claimedUntil is { } until && e.DueAt <= now ? until.Ms() : 0);
            withCommit.Add(PositionalStatements.ForBatch(insert));
            if (forAnyRelay && notices.TakeTurn())
            {
                withCommit.Add(new NpgsqlBatchCommand(OutboxListener.NotifySql));
            }
        }

        if (withCommit.Count == 0)
        {
            await transaction.CommitAsync(cancellationToken);
            return;
        }

        var ids = await SendWithCommitAsync(cancellationToken);
        if (claimedUntil is { } claimed)
        {
            var handed = new List<OutboxMessage>(outgoing.Count);
            foreach (var e in outgoing)
            {
                if (e.DueAt <= now && ids.TryGetValue(e.CopyId, out var id))
                {
                    handed.Add(new OutboxMessage(id, e.Queue, MessageRows.AsStored(e.Message), e.CopyId, e.Deliveries, e.DueAt));
                }
            }

            relay.HandOver(handed, claimed);
        }

        if (forAnyRelay)
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

    /// <summary>
    /// Sends the statements kept for the commit and <c>COMMIT</c> in one round trip; returns the outbox
    /// rows' ids by copy id. PostgreSQL stops at the first failing statement, before <c>COMMIT</c>, and
    /// the transaction is rolled back when disposed.
    /// </summary>
    private async Task<Dictionary<string, long>> SendWithCommitAsync(CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection, transaction);
        withCommit.ForEach(batch.BatchCommands.Add);
        batch.BatchCommands.Add(new NpgsqlBatchCommand("COMMIT"));
        var ids = new Dictionary<string, long>(StringComparer.Ordinal);
        try
        {
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
            do
            {
                // The outbox insert's rows; the other statements return none (the notice, one of its own).
                if (reader.FieldCount == 2 && reader.GetName(1) == "copy_id")
                {
                    while (await reader.ReadAsync(cancellationToken))
                    {
                        ids[reader.GetString(1)] = reader.GetInt64(0);
                    }
                }
            }
            while (await reader.NextResultAsync(cancellationToken));
        }
        catch (PostgresException ex) when (recorded is { } inbox && ex is { SqlState: PostgresErrorCodes.UniqueViolation, TableName: "hub_inbox" })
        {
            throw new AlreadyProcessedException(inbox.Consumer, inbox.MessageId, ex);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InvalidTextRepresentation && FailedCheck(ex) is { } otherwise)
        {
            throw otherwise();
        }

        return ids;
    }

    /// <summary>The one-row check an error names (<see cref="ExecuteOneRowWithCommitAsync"/>), if any.</summary>
    private Func<Exception>? FailedCheck(PostgresException error)
    {
        var at = error.MessageText.IndexOf(OneRowCheck, StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }

        var rest = error.MessageText.AsSpan(at + OneRowCheck.Length);
        var end = rest.IndexOf(' ');
        return end > 0 && int.TryParse(rest[..end], System.Globalization.CultureInfo.InvariantCulture, out var index) && index < oneRow.Count ? oneRow[index] : null;
    }
}
