using System.Data.Common;
using IntegrationHub.Core.Messaging;
using IntegrationHub.Core.Operations;

namespace IntegrationHub.Runtime.Store.Operations;

/// <summary>The operator audit log on the hub database; the table refuses updates and deletes.</summary>
internal sealed class SqlOperatorAuditLog(IHubDatabase database, OpenTransactions transactions) : IOperatorAuditLog
{
    public async Task AppendAsync(IHubTransaction transaction, OperatorAction action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(action);
        await using var insert = transactions.Of(transaction).CreateCommand("""
            INSERT INTO hub_ops_audit (at, actor, actor_name, unit, action, queue, message_id, job_id, comment, detail)
            VALUES (@at, @actor, @name, @unit, @action, @queue, @message, @job, @comment, @detail)
            """)
            .Param("@at", action.At.Ms()).Param("@actor", action.Actor).Param("@name", action.ActorName).Param("@unit", action.Unit)
            .Param("@action", action.Action).Param("@queue", action.Queue).Param("@message", action.MessageId).Param("@job", action.JobId)
            .Param("@comment", action.Comment).Param("@detail", action.Detail);
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<OperatorAction>> ListAsync(OperatorActionFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var select = connection.Command("""
            SELECT id, at, actor, actor_name, unit, action, queue, message_id, job_id, comment, detail FROM hub_ops_audit
            WHERE (@actor IS NULL OR actor = @actor) AND (@action IS NULL OR action = @action) AND (@queue IS NULL OR queue = @queue)
              AND (@message IS NULL OR message_id = @message) AND (@job IS NULL OR job_id = @job)
              AND (@from IS NULL OR at >= @from) AND (@to IS NULL OR at < @to)
            ORDER BY id DESC LIMIT @limit
            """)
            .Param("@actor", filter.Actor).Param("@action", filter.Action).Param("@queue", filter.Queue).Param("@message", filter.MessageId)
            .Param("@job", filter.JobId).Param("@from", filter.From?.Ms()).Param("@to", filter.To?.Ms()).Param("@limit", filter.Limit);
        return await select.ReadListAsync(Read, cancellationToken);
    }

    private static OperatorAction Read(DbDataReader reader) => new()
    {
        Id = reader.Int64("id"),
        At = reader.Time("at"),
        Actor = reader.Text("actor"),
        ActorName = reader.Text("actor_name"),
        Unit = reader.Text("unit"),
        Action = reader.Text("action"),
        Queue = reader.TextOrNull("queue"),
        MessageId = reader.TextOrNull("message_id"),
        JobId = reader.TextOrNull("job_id"),
        Comment = reader.Text("comment"),
        Detail = reader.TextOrNull("detail"),
    };
}
