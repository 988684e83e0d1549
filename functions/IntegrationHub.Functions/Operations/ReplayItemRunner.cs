using IntegrationHub.Core.Operations;

namespace IntegrationHub.Functions.Operations;

/// <summary>
/// Replays one item of a replay job (with its corrected body, for an edit) and records what became of
/// it; a replayed message that belongs to a dossier adds a step to the dossier's timeline with the
/// operator's name, unit and comment.
/// </summary>
internal sealed class ReplayItemRunner(
    IDeadLetterReplay queues,
    IReplayJobs jobs,
    IHubTransactions transactions,
    IDossierRegistry dossiers,
    OperationsMetrics metrics,
    TimeProvider time)
{
    // An item once started is finished and recorded, even when the job is cancelled or the host stops
    // meanwhile: a replay is one short call, and its record must say what it did.
    public async Task<ReplayItemState> ReplayAsync(ReplayJob job, ReplayItem item, DateTimeOffset started)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(item);
        ReplayItemState state;
        string? error = null;
        try
        {
            state = await queues.ReplayDeadLetterAsync(QueueNames.DeadLetterOf(job.Queue), item.SequenceNumber, item.MessageId, item.ReplacementBody, CancellationToken.None)
                ? ReplayItemState.Replayed
                : ReplayItemState.NotFound;
        }
        catch (QueueException ex)
        {
            state = ReplayItemState.Failed;
            error = ex.Message;
        }

        await using var transaction = await transactions.BeginAsync(CancellationToken.None);
        if (await jobs.RecordAsync(transaction, job.Id, item.Position, state, started, error, CancellationToken.None) && state == ReplayItemState.Replayed)
        {
            var note = item.Note ?? HubTexts.Replayed(item.MessageId, job.Queue, job.Comment);
            await AppendTimelineAsync(transaction, item.CorrelationId, job.ActorName, job.ActorUnit, note, item.MessageId);
        }

        await transaction.CommitAsync(CancellationToken.None);
        metrics.Replayed(job.Queue, state);
        return state;
    }

    /// <summary>Appends an operator's step to a dossier's timeline, when the message belongs to a dossier the hub has.</summary>
    private async Task AppendTimelineAsync(IHubTransaction transaction, string? portalCode, string actor, string unit, string action, string messageId)
    {
        if (portalCode is null || await dossiers.FindAsync(transaction, portalCode, CancellationToken.None) is not { } dossier)
        {
            return;
        }

        await dossiers.AppendAsync(
            transaction,
            new TimelineEvent
            {
                PortalCode = dossier.PortalCode, At = time.GetUtcNow(), Actor = actor, Unit = string.IsNullOrEmpty(unit) ? HubTexts.OperationsUnit : unit,
                Action = action, MessageId = messageId,
            },
            CancellationToken.None);
    }
}
