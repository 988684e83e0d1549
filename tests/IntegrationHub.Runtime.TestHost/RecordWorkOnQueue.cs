using IntegrationHub.Core.Messaging;
using IntegrationHub.Runtime.Functions;
using IntegrationHub.Runtime.Store;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Runtime.TestHost;

/// <summary>A unit of test work.</summary>
public sealed record WorkItem(int Number);

/// <summary>The <c>TestWork</c> section: which queues, and how long each item takes.</summary>
public sealed class TestWorkOptions
{
    public string Queue { get; set; } = "test-work";

    public string DoneQueue { get; set; } = "test-work-done";

    public int DelayMilliseconds { get; set; }

    /// <summary>
    /// Effects this process takes before it holds every further item until the gate is opened (in this
    /// process) or the process is killed: a test then stops or crashes it mid-run, whatever its speed.
    /// </summary>
    public int? HoldAfterEffects { get; set; }
}

/// <summary>Holds the work after <see cref="TestWorkOptions.HoldAfterEffects"/> effects of this process, until opened.</summary>
public sealed class WorkGate(IOptions<TestWorkOptions> options)
{
    private readonly TaskCompletionSource opened = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int effects;

    /// <summary>Effects taken in this process so far.</summary>
    public int Effects => Volatile.Read(ref effects);

    /// <summary>Lets every held item go on, and every later one.</summary>
    public void Open() => opened.TrySetResult();

    /// <summary>Waits while the gate holds the work.</summary>
    public async Task PassAsync(CancellationToken cancellationToken)
    {
        if (options.Value.HoldAfterEffects is { } hold && Effects >= hold)
        {
            await opened.Task.WaitAsync(cancellationToken);
        }
    }

    public void Took() => Interlocked.Increment(ref effects);
}

/// <summary>
/// Records each work item as an effect (counting how often it happened), with its inbox record and
/// an outgoing message, in one hub transaction: the shape of every flow function.
/// </summary>
public sealed class RecordWorkOnQueue(IHubTransactions transactions, OpenTransactions open, WorkGate gate, IOptions<TestWorkOptions> options) : IQueueFunction<WorkItem>
{
    private const string EffectsTable = "CREATE TABLE test_work_effects (message_id TEXT NOT NULL PRIMARY KEY, times INTEGER NOT NULL);";

    public static readonly HubMigration Migration = new(1000, "test host: work effects", EffectsTable, EffectsTable);

    public async Task RunAsync(WorkItem message, QueueFunctionContext context, CancellationToken cancellationToken)
    {
        if (options.Value.DelayMilliseconds > 0)
        {
            await Task.Delay(options.Value.DelayMilliseconds, cancellationToken);
        }

        await gate.PassAsync(cancellationToken);

        await using var transaction = await transactions.BeginAsync(cancellationToken);
        if (!await transaction.TryRecordProcessedAsync(context.FunctionName, context.MessageId, cancellationToken))
        {
            return;
        }

        await using (var effect = open.CreateCommand(transaction, """
            INSERT INTO test_work_effects (message_id, times) VALUES (@id, 1)
            ON CONFLICT (message_id) DO UPDATE SET times = test_work_effects.times + 1;
            """))
        {
            var id = effect.CreateParameter();
            id.ParameterName = "@id";
            id.Value = context.MessageId;
            effect.Parameters.Add(id);
            await effect.ExecuteNonQueryAsync(cancellationToken);
        }

        transaction.Send(options.Value.DoneQueue, new OutgoingMessage { MessageId = $"done:{context.MessageId}", Body = context.Message.Body, CorrelationId = context.CorrelationId });
        await transaction.CommitAsync(cancellationToken);
        gate.Took();
    }
}

public static class TestWorkServiceCollectionExtensions
{
    /// <summary>The work function on <c>TestWork:Queue</c>, its migration, and its settings.</summary>
    public static IServiceCollection AddTestWork(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection("TestWork").Get<TestWorkOptions>() ?? new TestWorkOptions();
        services.Configure<TestWorkOptions>(configuration.GetSection("TestWork"));
        services.AddSingleton<WorkGate>();
        services.AddHubMigrations(RecordWorkOnQueue.Migration);
        services.AddQueueFunction<WorkItem, RecordWorkOnQueue>(options.Queue, o =>
        {
            o.MaxConcurrentCalls = 8;
            o.PrefetchCount = 32;
        });
        return services;
    }
}
