using IntegrationHub.Core.Operations;
using IntegrationHub.Functions.Http;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Functions.Operations;

/// <summary>
/// Starts, dry-runs and cancels replay jobs; each action is written to the audit log in the unit of
/// work that does it (a job starts with its entry, is cancelled with its entry).
/// </summary>
internal sealed class ReplayJobControl(
    IHubTransactions transactions,
    IOperatorAuditLog audit,
    IReplayJobs jobs,
    ReplayJobSignal signal,
    IOptions<OperationsOptions> options,
    TimeProvider time,
    ILogger<ReplayJobControl> logger)
{
    /// <summary>Records that the operator looked at what the replay would do.</summary>
    public async Task DryRunAsync(ReplayPlan plan, Operator by, DeadLetterReplayRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(request);
        var detail = new { count = plan.Letters.Count, selection = AuditEntries.Selection(request), messageIds = plan.Letters.Take(100).Select(m => m.MessageId) };
        await using var transaction = await transactions.BeginAsync(cancellationToken);
        await audit.AppendAsync(
            transaction,
            AuditEntries.Of(by, OperatorActions.DryRun, plan.Queue, request.Comment, detail, time.GetUtcNow()) with { MessageId = plan.Letters.Count == 1 ? plan.Letters[0].MessageId : null },
            cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Starts a replay job; a host's runner replays it at the job's rate, resuming after a restart.</summary>
    public async Task<ReplayJob> StartAsync(ReplayPlan plan, Operator by, DeadLetterReplayRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(request);
        var job = NewJob(plan.Queue, by, request.Comment, AuditEntries.Selection(request).ToJsonString(), request.MaxPerSecond ?? options.Value.DefaultMaxPerSecond);
        var items = plan.Letters.Select((m, i) => ItemOf(m, i)).ToList();
        await using (var transaction = await transactions.BeginAsync(cancellationToken))
        {
            await jobs.CreateAsync(transaction, job, items, claim: null, cancellationToken);
            var detail = new { count = items.Count, selection = AuditEntries.Selection(request), maxPerSecond = job.MaxPerSecond };
            await audit.AppendAsync(
                transaction,
                AuditEntries.Of(by, OperatorActions.Replay, plan.Queue, request.Comment, detail, time.GetUtcNow()) with { JobId = job.Id, MessageId = items.Count == 1 ? items[0].MessageId : null },
                cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        Log.ReplayJobStarted(logger, job.Id, job.Queue, items.Count, job.MaxPerSecond, by.Subject);
        signal.Wake();
        return (await jobs.GetAsync(job.Id, cancellationToken))!;
    }

    /// <exception cref="OperationsRequestException">No such job, or it has finished.</exception>
    public async Task<ReplayJob> CancelAsync(string id, Operator by, string comment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(by);
        var job = await jobs.GetAsync(id, cancellationToken) ?? throw new OperationsRequestException(Problems.NotFound, $"There is no replay job '{id}'.");
        await using (var transaction = await transactions.BeginAsync(cancellationToken))
        {
            if (!await jobs.CancelAsync(transaction, id, by.Subject, time.GetUtcNow(), cancellationToken))
            {
                throw new OperationsRequestException(Problems.ReplayJobFinished, $"Replay job '{id}' has already finished ({job.Status}).");
            }

            var detail = new { replayed = job.Counts.GetValueOrDefault(ReplayItemState.Replayed), pending = job.Counts.GetValueOrDefault(ReplayItemState.Pending) };
            await audit.AppendAsync(transaction, AuditEntries.Of(by, OperatorActions.CancelJob, job.Queue, comment, detail, time.GetUtcNow()) with { JobId = id }, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        Log.ReplayJobCancelled(logger, id, by.Subject);
        signal.Cancel(id);
        return (await jobs.GetAsync(id, cancellationToken))!;
    }

    /// <summary>A new running job of <paramref name="queue"/>'s dead letters, started by <paramref name="by"/> now.</summary>
    public ReplayJob NewJob(string queue, Operator by, string comment, string selection, int maxPerSecond)
    {
        ArgumentNullException.ThrowIfNull(by);
        var now = time.GetUtcNow();
        return new ReplayJob
        {
            Id = "rj-" + Guid.CreateVersion7(now).ToString("N"),
            Queue = queue,
            Actor = by.Subject,
            ActorName = by.Name,
            ActorUnit = by.Unit,
            Comment = comment,
            Selection = selection,
            MaxPerSecond = maxPerSecond,
            CreatedAt = Core.VietnamTime.ToLocal(now),
            Status = ReplayJobStatus.Running,
        };
    }

    /// <summary>A dead letter as an item of a job, at <paramref name="position"/>.</summary>
    public static ReplayItem ItemOf(ReceivedMessage letter, int position) => new()
    {
        Position = position, SequenceNumber = letter.SequenceNumber, MessageId = letter.MessageId, CorrelationId = letter.CorrelationId, Reason = letter.DeadLetterReason,
    };
}
