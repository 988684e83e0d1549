using IntegrationHub.Core.Messaging;
using IntegrationHub.Runtime.Functions;
using IntegrationHub.Runtime.Store;

namespace IntegrationHub.Runtime.TestHost;

/// <summary>A unit of test work.</summary>
public sealed record WorkItem(int Number);

/// <summary>
/// Records each work item as an effect (counting how often it happened), with its inbox record and
/// an outgoing message, in one hub transaction: the shape of every flow function.
/// </summary>
public sealed class RecordWorkOnQueue(IHubTransactions transactions) : IQueueFunction<WorkItem>
{
    public const string Queue = "test-work";
    public const string DoneQueue = "test-work-done";

    public static readonly HubMigration Migration = new(1000, "test host: work effects", """
        CREATE TABLE test_work_effects (message_id TEXT NOT NULL PRIMARY KEY, times INTEGER NOT NULL);
        """);

    public async Task RunAsync(WorkItem message, QueueFunctionContext context, CancellationToken cancellationToken)
    {
        await using var transaction = await transactions.BeginAsync(cancellationToken);
        if (!await transaction.TryRecordProcessedAsync(context.FunctionName, context.MessageId, cancellationToken))
        {
            return;
        }

        await using (var effect = transaction.Store().CreateCommand("""
            INSERT INTO test_work_effects (message_id, times) VALUES ($id, 1)
            ON CONFLICT (message_id) DO UPDATE SET times = times + 1;
            """))
        {
            var id = effect.CreateParameter();
            id.ParameterName = "$id";
            id.Value = context.MessageId;
            effect.Parameters.Add(id);
            await effect.ExecuteNonQueryAsync(cancellationToken);
        }

        transaction.Send(DoneQueue, new OutgoingMessage { MessageId = $"done:{context.MessageId}", Body = context.Message.Body, CorrelationId = context.CorrelationId });
        await transaction.CommitAsync(cancellationToken);
    }
}
