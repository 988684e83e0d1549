using System.Text.Json;
using System.Text.Json.Nodes;
using IntegrationHub.Core.Messaging;
using IntegrationHub.Core.Operations;
using IntegrationHub.Core.Store;
using IntegrationHub.Functions.Http;
using IntegrationHub.Runtime.Functions;
using IntegrationHub.Schemas;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Functions.Operations;

/// <summary>What a replay would do: each dead letter and the queue it goes back to.</summary>
internal sealed record ReplayPlan(string Queue, IReadOnlyList<ReceivedMessage> Letters);

/// <summary>What an edit would do, or did.</summary>
internal sealed record EditOutcome(string Queue, string MessageId, bool DryRun, bool Replayed, IReadOnlyList<FieldChange> Changes);

/// <summary>
/// The operators' replays: choose the dead letters a request names or its filter matches, show
/// what would go where (dry run), start a throttled replay job, cancel one, and correct a body and
/// replay it. Every action is written to the audit log in the unit of work that does it.
/// </summary>
internal sealed class ReplayService(
    DeadLetterCatalog catalog,
    IQueueClient queues,
    IHubTransactions transactions,
    IOperatorAuditLog audit,
    IReplayJobs jobs,
    IDossierRegistry dossiers,
    MessageSchemas schemas,
    ReplayJobSignal signal,
    IOptions<OperationsOptions> options,
    TimeProvider time,
    ILogger<ReplayService> logger)
{
    /// <exception cref="OperationsRequestException">The request names nothing that can be replayed.</exception>
    public async Task<ReplayPlan> PlanAsync(DeadLetterReplayRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        await RequireQueueAsync(request.Queue, cancellationToken);
        if (request.MessageIds is not null && request.Filter is not null)
        {
            throw new OperationsRequestException(Problems.ValidationFailed, "Give messageIds or filter, not both.", "filter");
        }

        if (request.Filter is { From: { } from, To: { } to } && from >= to)
        {
            throw new OperationsRequestException(Problems.ValidationFailed, "filter.from must be before filter.to.", "filter.from");
        }

        if (request.MessageIds is { } ids)
        {
            if (ids.Count == 0)
            {
                throw new OperationsRequestException(Problems.ValidationFailed, "messageIds lists no message.", "messageIds");
            }

            var all = await catalog.FindAsync(new DeadLetterQuery(request.Queue, null, null, null, null, null), cancellationToken);
            var chosen = ids.Distinct(StringComparer.Ordinal).Select(id => all.FirstOrDefault(m => m.MessageId == id)).ToList();
            var missing = ids.Distinct(StringComparer.Ordinal).Where((_, i) => chosen[i] is null).ToList();
            if (missing.Count > 0)
            {
                throw new OperationsRequestException(Problems.NothingToReplay, $"Not among the dead letters of '{request.Queue}': {string.Join(", ", missing)}.", "messageIds", missing);
            }

            return new ReplayPlan(request.Queue, [.. chosen.OfType<ReceivedMessage>()]);
        }

        if (request.Filter is null)
        {
            throw new OperationsRequestException(Problems.ValidationFailed, "Give messageIds (a selection) or filter (all that match; {} for every dead letter of the queue).", "messageIds");
        }

        var matching = await catalog.FindAsync(DeadLetterQuery.Of(request.Queue, request.Filter), cancellationToken);
        return matching.Count > 0
            ? new ReplayPlan(request.Queue, matching)
            : throw new OperationsRequestException(Problems.NothingToReplay, $"No dead letter of '{request.Queue}' matches the filter.", "filter");
    }

    /// <summary>Records that the operator looked at what the replay would do.</summary>
    public async Task DryRunAsync(ReplayPlan plan, Operator by, DeadLetterReplayRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(request);
        await using var transaction = await transactions.BeginAsync(cancellationToken);
        await audit.AppendAsync(transaction, Action(by, OperatorActions.DryRun, plan.Queue, request.Comment, Detail(new
        {
            count = plan.Letters.Count,
            selection = Selection(request),
            messageIds = plan.Letters.Take(100).Select(m => m.MessageId),
        })) with { MessageId = plan.Letters.Count == 1 ? plan.Letters[0].MessageId : null }, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Starts a replay job; a host's runner replays it at the job's rate, resuming after a restart.</summary>
    public async Task<ReplayJob> StartAsync(ReplayPlan plan, Operator by, DeadLetterReplayRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(by);
        ArgumentNullException.ThrowIfNull(request);
        var now = time.GetUtcNow();
        var job = new ReplayJob
        {
            Id = "rj-" + Guid.CreateVersion7(now).ToString("N"),
            Queue = plan.Queue,
            Actor = by.Subject,
            ActorName = by.Name,
            ActorUnit = by.Unit,
            Comment = request.Comment,
            Selection = Selection(request).ToJsonString(),
            MaxPerSecond = request.MaxPerSecond ?? options.Value.DefaultMaxPerSecond,
            CreatedAt = Core.VietnamTime.ToLocal(now),
            Status = ReplayJobStatus.Running,
        };
        var items = plan.Letters.Select((m, i) => new ReplayItem
        {
            Position = i, SequenceNumber = m.SequenceNumber, MessageId = m.MessageId, CorrelationId = m.CorrelationId, Reason = m.DeadLetterReason,
        }).ToList();

        await using (var transaction = await transactions.BeginAsync(cancellationToken))
        {
            await jobs.CreateAsync(transaction, job, items, cancellationToken);
            await audit.AppendAsync(transaction, Action(by, OperatorActions.Replay, plan.Queue, request.Comment, Detail(new { count = items.Count, selection = Selection(request), maxPerSecond = job.MaxPerSecond })) with
            {
                JobId = job.Id,
                MessageId = items.Count == 1 ? items[0].MessageId : null,
            }, cancellationToken);
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

            await audit.AppendAsync(transaction, Action(by, OperatorActions.CancelJob, job.Queue, comment, Detail(new { replayed = job.Counts.GetValueOrDefault(ReplayItemState.Replayed), pending = job.Counts.GetValueOrDefault(ReplayItemState.Pending) })) with { JobId = id }, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        Log.ReplayJobCancelled(logger, id, by.Subject);
        signal.Cancel(id);
        return (await jobs.GetAsync(id, cancellationToken))!;
    }

    /// <summary>
    /// Corrects a dead letter's body and replays it under its own message id (or, on a dry run, says
    /// what would change); the changes and the operator go to the audit log and the dossier's timeline.
    /// </summary>
    /// <exception cref="OperationsRequestException">No such dead letter, a body that is not JSON, or a correction its contract refuses.</exception>
    public async Task<EditOutcome> EditAsync(string queue, string messageId, DeadLetterEditRequest request, Operator by, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(by);
        await RequireQueueAsync(queue, cancellationToken);
        var letter = await catalog.FindOneAsync(queue, messageId, cancellationToken)
            ?? throw new OperationsRequestException(Problems.NotFound, $"There is no dead letter '{messageId}' of queue '{queue}'.");
        var before = DeadLetterCatalog.JsonOf(letter.Body)
            ?? throw new OperationsRequestException(Problems.DeadLetterNotJson, $"The body of '{messageId}' is not JSON ({letter.ContentType}).");
        var corrected = JsonSerializer.SerializeToUtf8Bytes(request.Body, HubJson.Options);
        CheckContract(letter.Subject, corrected);

        var changes = BodyEdits.Changes(before, request.Body);
        if (!request.DryRun && !await queues.ReplayDeadLetterAsync(letter.Queue, letter.SequenceNumber, letter.MessageId, corrected, cancellationToken))
        {
            throw new OperationsRequestException(Problems.DeadLetterGone, $"'{messageId}' left the dead letters of '{queue}' meanwhile.");
        }

        var target = DeadLetterCatalog.SourceOf(letter);
        await using (var transaction = await transactions.BeginAsync(cancellationToken))
        {
            var action = request.DryRun ? OperatorActions.EditDryRun : OperatorActions.EditAndReplay;
            await audit.AppendAsync(transaction, Action(by, action, target, request.Comment, Detail(new
            {
                changes,
                bodyBefore = BodyEdits.Hash(letter.Body.Span),
                bodyAfter = BodyEdits.Hash(corrected),
            })) with { MessageId = messageId }, cancellationToken);
            if (!request.DryRun)
            {
                await AppendTimelineAsync(transaction, letter.CorrelationId, by.Name, by.Unit, $"Sửa nội dung và gửi lại thông điệp {messageId} để xử lý lại ({changes.Count} trường thay đổi). Lý do: {request.Comment}", messageId, cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }

        if (!request.DryRun)
        {
            Log.DeadLetterEdited(logger, messageId, target, changes.Count, by.Subject);
        }

        return new EditOutcome(target, messageId, request.DryRun, !request.DryRun, changes);
    }

    /// <summary>Appends an operator's step to a dossier's timeline, when the message belongs to a dossier the hub has.</summary>
    public async Task AppendTimelineAsync(IHubTransaction transaction, string? portalCode, string actor, string unit, string action, string messageId, CancellationToken cancellationToken)
    {
        if (portalCode is null || await dossiers.FindAsync(transaction, portalCode, cancellationToken) is not { } dossier)
        {
            return;
        }

        await dossiers.AppendAsync(transaction, new TimelineEvent
        {
            PortalCode = dossier.PortalCode, At = time.GetUtcNow(), Actor = actor, Unit = string.IsNullOrEmpty(unit) ? OperationsTexts.OperationsUnit : unit, Action = action, MessageId = messageId,
        }, cancellationToken);
    }

    private void CheckContract(string? subject, byte[] body)
    {
        if (schemas.Find(subject) is not { } schema)
        {
            return;
        }

        var errors = MessageSchemas.Check(schema, System.Text.Encoding.UTF8.GetString(body));
        if (errors.Count > 0)
        {
            throw new OperationsRequestException(Problems.ValidationFailed, $"The corrected body does not satisfy {subject}: {string.Join("; ", errors.Select(e => $"{e.Field}: {e.Error}"))}", $"body.{errors[0].Field}");
        }
    }

    private async Task RequireQueueAsync(string queue, CancellationToken cancellationToken)
    {
        if (!(await catalog.QueuesAsync(cancellationToken)).Contains(queue, StringComparer.Ordinal))
        {
            throw new OperationsRequestException(Problems.NotFound, $"The hub has no queue '{queue}'.", "queue");
        }
    }

    private OperatorAction Action(Operator by, string action, string queue, string comment, string detail) => new()
    {
        At = time.GetUtcNow(), Actor = by.Subject, ActorName = by.Name, Unit = by.Unit, Action = action, Queue = queue, Comment = comment, Detail = detail,
    };

    private static JsonNode Selection(DeadLetterReplayRequest request) => request.MessageIds is { } ids
        ? new JsonObject { ["messageIds"] = JsonSerializer.SerializeToNode(ids, HubJson.Options) }
        : new JsonObject { ["filter"] = JsonSerializer.SerializeToNode(request.Filter, HubJson.Options) };

    private static string Detail(object value) => JsonSerializer.Serialize(value, HubJson.Options);
}
