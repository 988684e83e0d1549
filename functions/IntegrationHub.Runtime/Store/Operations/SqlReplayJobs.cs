using System.Data.Common;
using IntegrationHub.Core.Messaging;
using IntegrationHub.Core.Operations;

namespace IntegrationHub.Runtime.Store.Operations;

/// <summary>
/// Replay jobs and their items on the hub database. A job's counts are read from its items; a job
/// is run by one host at a time under a lease (owner and expiry), which a host lets go when it stops.
/// </summary>
internal sealed class SqlReplayJobs(IHubDatabase database, IHubTransactions transactions, OpenTransactions open) : IReplayJobs
{
    private const string JobColumns = "id, queue, actor, actor_name, actor_unit, comment, selection, max_per_second, created_at, status, finished_at, cancelled_by";
    private const string Running = nameof(ReplayJobStatus.Running);

    public async Task CreateAsync(IHubTransaction transaction, ReplayJob job, IReadOnlyList<ReplayItem> items, ReplayClaim? claim, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(items);
        var store = open.Of(transaction);
        await using (var insert = store.CreateCommand($"""
            INSERT INTO hub_ops_replay_jobs ({JobColumns}, owner, owned_until)
            VALUES (@id, @queue, @actor, @name, @unit, @comment, @selection, @rate, @created, @status, NULL, NULL, @owner, @until)
            """))
        {
            insert.Param("@owner", claim?.Owner).Param("@until", claim?.Until ?? DateTimeOffset.FromUnixTimeMilliseconds(0));
            insert.Param("@id", job.Id).Param("@queue", job.Queue).Param("@actor", job.Actor).Param("@name", job.ActorName).Param("@unit", job.ActorUnit).Param("@comment", job.Comment)
                .Param("@selection", job.Selection).Param("@rate", job.MaxPerSecond).Param("@created", job.CreatedAt.Ms()).Param("@status", job.Status.ToString());
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        foreach (var item in items)
        {
            await using var insert = store.CreateCommand("""
                INSERT INTO hub_ops_replay_items (job_id, position, sequence_number, message_id, correlation_id, reason, state, replacement_body, note)
                VALUES (@job, @position, @sequence, @message, @correlation, @reason, @state, @body, @note)
                """);
            insert.Param("@job", job.Id).Param("@position", item.Position).Param("@sequence", item.SequenceNumber).Param("@message", item.MessageId)
                .Param("@correlation", item.CorrelationId).Param("@reason", item.Reason).Param("@state", item.State.ToString())
                .Param("@body", item.ReplacementBody?.ToArray()).Param("@note", item.Note);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    public async Task<ReplayJob?> GetAsync(string id, CancellationToken cancellationToken)
    {
        var jobs = await ReadJobsAsync("WHERE id = @id", c => c.Param("@id", id), cancellationToken);
        return jobs.SingleOrDefault();
    }

    public Task<IReadOnlyList<ReplayJob>> ListAsync(int limit, CancellationToken cancellationToken) =>
        ReadJobsAsync("ORDER BY created_at DESC, id DESC LIMIT @limit", c => c.Param("@limit", limit), cancellationToken);

    public async Task<IReadOnlyList<ReplayItem>> ItemsAsync(string id, int fromPosition, int limit, bool pendingOnly, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var select = connection.Command("""
            SELECT position, sequence_number, message_id, correlation_id, reason, state, tried_at, error, replacement_body, note FROM hub_ops_replay_items
            WHERE job_id = @job AND position >= @from AND (@pending = 0 OR state = @state)
            ORDER BY position LIMIT @limit
            """).Param("@job", id).Param("@from", fromPosition).Param("@pending", pendingOnly ? 1 : 0)
            .Param("@state", nameof(ReplayItemState.Pending)).Param("@limit", limit);
        return await select.ReadListAsync(
            reader => new ReplayItem
            {
                Position = reader.Int32("position"),
                SequenceNumber = reader.Int64("sequence_number"),
                MessageId = reader.Text("message_id"),
                CorrelationId = reader.TextOrNull("correlation_id"),
                Reason = reader.TextOrNull("reason"),
                State = reader.Enum<ReplayItemState>("state"),
                TriedAt = reader.TimeOrNull("tried_at"),
                Error = reader.TextOrNull("error"),
                ReplacementBody = reader.BytesOrNull("replacement_body") is { } body ? new ReadOnlyMemory<byte>(body) : (ReadOnlyMemory<byte>?)null,
                Note = reader.TextOrNull("note"),
            },
            cancellationToken);
    }

    public Task<bool> TryClaimAsync(string id, string owner, DateTimeOffset now, DateTimeOffset until, CancellationToken cancellationToken) =>
        ChangeAsync("""
            UPDATE hub_ops_replay_jobs SET owner = @owner, owned_until = @until
            WHERE id = @id AND status = @running AND (owner IS NULL OR owner = @owner OR owned_until <= @now)
            """, c => c.Param("@owner", owner).Param("@until", until.Ms()).Param("@id", id).Param("@running", Running).Param("@now", now.Ms()), cancellationToken);

    public Task ReleaseAsync(string id, string owner, CancellationToken cancellationToken) =>
        ChangeAsync("UPDATE hub_ops_replay_jobs SET owner = NULL, owned_until = 0 WHERE id = @id AND owner = @owner", c => c.Param("@id", id).Param("@owner", owner), cancellationToken);

    public async Task<IReadOnlyList<string>> UnclaimedAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var select = connection.Command("""
            SELECT id FROM hub_ops_replay_jobs WHERE status = @running AND (owner IS NULL OR owned_until <= @now) ORDER BY created_at, id
            """).Param("@running", Running).Param("@now", now.Ms());
        return await select.ReadListAsync(reader => reader.Text("id"), cancellationToken);
    }

    public async Task<bool> RecordAsync(IHubTransaction transaction, string id, int position, ReplayItemState state, DateTimeOffset at, string? error, CancellationToken cancellationToken)
    {
        await using var update = open.Of(transaction).CreateCommand("""
            UPDATE hub_ops_replay_items SET state = @state, tried_at = @at, error = @error
            WHERE job_id = @job AND position = @position AND state = @pending
            """).Param("@state", state.ToString()).Param("@at", at.Ms()).Param("@error", error).Param("@job", id).Param("@position", position)
            .Param("@pending", nameof(ReplayItemState.Pending));
        return await update.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public Task CompleteAsync(string id, DateTimeOffset at, CancellationToken cancellationToken) =>
        ChangeAsync(
            "UPDATE hub_ops_replay_jobs SET status = @completed, finished_at = @at, owner = NULL, owned_until = 0 WHERE id = @id AND status = @running",
            c => c.Param("@completed", nameof(ReplayJobStatus.Completed)).Param("@at", at.Ms()).Param("@id", id).Param("@running", Running),
            cancellationToken);

    public async Task<bool> CancelAsync(IHubTransaction transaction, string id, string by, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var update = open.Of(transaction).CreateCommand("""
            UPDATE hub_ops_replay_jobs SET status = @cancelled, finished_at = @at, cancelled_by = @by WHERE id = @id AND status = @running
            """).Param("@cancelled", nameof(ReplayJobStatus.Cancelled)).Param("@at", at.Ms()).Param("@by", by).Param("@id", id).Param("@running", Running);
        return await update.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private async Task<bool> ChangeAsync(string sql, Action<DbCommand> bind, CancellationToken cancellationToken)
    {
        await using var transaction = await transactions.BeginAsync(cancellationToken);
        int changed;
        await using (var command = open.Of(transaction).CreateCommand(sql))
        {
            bind(command);
            changed = await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return changed > 0;
    }

    /// <summary>Reads jobs with their counts, in one query: each count is taken from the job's own items.</summary>
    private async Task<IReadOnlyList<ReplayJob>> ReadJobsAsync(string where, Action<DbCommand> bind, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var counts = string.Join(", ", Enum.GetValues<ReplayItemState>().Select(state =>
            $"(SELECT COUNT(*) FROM hub_ops_replay_items i WHERE i.job_id = j.id AND i.state = '{state}') AS count_{state}"));
        await using var select = connection.Command($"SELECT {JobColumns}, {counts} FROM hub_ops_replay_jobs j {where}");
        bind(select);
        return await select.ReadListAsync(
            reader => new ReplayJob
            {
                Id = reader.Text("id"),
                Queue = reader.Text("queue"),
                Actor = reader.Text("actor"),
                ActorName = reader.Text("actor_name"),
                ActorUnit = reader.Text("actor_unit"),
                Comment = reader.Text("comment"),
                Selection = reader.Text("selection"),
                MaxPerSecond = reader.Int32("max_per_second"),
                CreatedAt = reader.Time("created_at"),
                Status = reader.Enum<ReplayJobStatus>("status"),
                FinishedAt = reader.TimeOrNull("finished_at"),
                CancelledBy = reader.TextOrNull("cancelled_by"),
                Counts = Enum.GetValues<ReplayItemState>().ToDictionary(state => state, state => (int)reader.Int64($"count_{state}")),
            },
            cancellationToken);
    }
}
