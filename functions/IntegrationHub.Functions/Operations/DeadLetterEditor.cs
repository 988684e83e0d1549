using System.Text.Json;
using System.Text.Json.Nodes;
using IntegrationHub.Core.Operations;
using IntegrationHub.Functions.Http;
using IntegrationHub.Functions.Identity;
using IntegrationHub.Runtime.Functions;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Functions.Operations;

/// <summary>
/// Corrects a dead letter's body and replays it under its own message id, or (dry run) says what would
/// change. The replay is written with its audit entry: the entry and a one-item replay job holding the
/// corrected body commit together, then this host replays the item at once; should it stop first,
/// whichever host takes the job over when its lease runs out replays it. The audit entry keeps each
/// changed field (a personal one as a keyed hash) and the hashes of both bodies; the dossier's
/// timeline gets the operator's step.
/// </summary>
internal sealed class DeadLetterEditor(
    ReplayPlanner planner,
    DeadLetterCatalog catalog,
    ReplayJobControl control,
    ReplayItemRunner items,
    ReplayJobOwner owner,
    IHubTransactions transactions,
    IOperatorAuditLog audit,
    IReplayJobs jobs,
    MessageSchemas schemas,
    CitizenKeys keys,
    IOptions<OperationsOptions> options,
    TimeProvider time,
    ILogger<DeadLetterEditor> logger)
{
    /// <exception cref="OperationsRequestException">No such dead letter, a body that is not JSON, a correction its contract refuses, or a dead letter gone meanwhile.</exception>
    /// <exception cref="MessageSizeExceededException">The corrected message is too large; nothing was recorded or moved.</exception>
    public async Task<EditOutcome> EditAsync(string queue, string messageId, DeadLetterEditRequest request, Operator by, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(by);
        await planner.RequireQueueAsync(queue, cancellationToken);
        var letter = await catalog.FindOneAsync(queue, messageId, cancellationToken)
            ?? throw new OperationsRequestException(Problems.NotFound, $"There is no dead letter '{messageId}' of queue '{queue}'.");
        var before = DeadLetterCatalog.JsonOf(letter.Body)
            ?? throw new OperationsRequestException(Problems.DeadLetterNotJson, $"The body of '{messageId}' is not JSON ({letter.ContentType}).");
        var corrected = JsonSerializer.SerializeToUtf8Bytes(request.Body, HubJson.Options);
        CheckContract(letter.Subject, corrected);
        var changes = BodyEdits.Changes(before, request.Body);
        var target = DeadLetterCatalog.SourceOf(letter);
        var detail = new { changes = BodyEdits.ForTheRecord(changes, keys), bodyBefore = BodyEdits.Hash(letter.Body.Span), bodyAfter = BodyEdits.Hash(corrected) };
        if (request.DryRun)
        {
            await RecordAsync(AuditEntries.Of(by, OperatorActions.EditDryRun, target, request.Comment, detail, time.GetUtcNow()) with { MessageId = messageId }, null, cancellationToken);
            return new EditOutcome(target, messageId, DryRun: true, Replayed: false, changes);
        }

        MessageSize.EnsureFits(target, letter.AsOutgoing(corrected));
        var job = control.NewJob(target, by, request.Comment, new JsonObject { ["edit"] = messageId }.ToJsonString(), options.Value.DefaultMaxPerSecond);
        var item = ReplayJobControl.ItemOf(letter, 0) with { ReplacementBody = corrected, Note = HubTexts.EditedAndReplayed(messageId, changes.Count, request.Comment) };
        var entry = AuditEntries.Of(by, OperatorActions.EditAndReplay, target, request.Comment, detail, time.GetUtcNow()) with { MessageId = messageId, JobId = job.Id };
        await RecordAsync(entry, (job, item), cancellationToken);
        await ReplayNowAsync(job, item);
        Log.DeadLetterEdited(logger, messageId, target, changes.Count, by.Subject);
        return new EditOutcome(target, messageId, DryRun: false, Replayed: true, changes);
    }

    /// <summary>The audit entry, and the job that replays the correction, in one commit.</summary>
    private async Task RecordAsync(OperatorAction entry, (ReplayJob Job, ReplayItem Item)? replay, CancellationToken cancellationToken)
    {
        await using var transaction = await transactions.BeginAsync(cancellationToken);
        if (replay is { } edit)
        {
            await jobs.CreateAsync(transaction, edit.Job, [edit.Item], new ReplayClaim(owner.Id, time.GetUtcNow() + options.Value.JobLease), cancellationToken);
        }

        await audit.AppendAsync(transaction, entry, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private async Task ReplayNowAsync(ReplayJob job, ReplayItem item)
    {
        ReplayItemState state;
        try
        {
            state = await items.ReplayAsync(job, item, time.GetUtcNow());
            await jobs.CompleteAsync(job.Id, time.GetUtcNow(), CancellationToken.None);
        }
        finally
        {
            // Let go at once: a job this host could not finish is another host's to resume now.
            await jobs.ReleaseAsync(job.Id, owner.Id, CancellationToken.None);
        }

        if (state == ReplayItemState.NotFound)
        {
            throw new OperationsRequestException(Problems.DeadLetterGone, $"'{item.MessageId}' left the dead letters of '{job.Queue}' meanwhile.");
        }

        if (state == ReplayItemState.Failed)
        {
            throw new InvalidOperationException($"The transport refused to replay '{item.MessageId}'; replay job {job.Id} records why.");
        }
    }

    private void CheckContract(string? subject, byte[] body)
    {
        if (schemas.Find(subject) is not { } schema)
        {
            return;
        }

        var errors = MessageSchemas.Check(schema, body);
        if (errors.Count > 0)
        {
            throw new OperationsRequestException(Problems.ValidationFailed, $"The corrected body does not satisfy {subject}: {string.Join("; ", errors.Select(e => $"{e.Field}: {e.Error}"))}", $"body.{errors[0].Field}");
        }
    }
}
