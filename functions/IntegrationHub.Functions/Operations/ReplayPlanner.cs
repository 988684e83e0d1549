using IntegrationHub.Functions.Http;

namespace IntegrationHub.Functions.Operations;

/// <summary>Chooses the dead letters a replay request names, or those its filter matches.</summary>
internal sealed class ReplayPlanner(DeadLetterCatalog catalog)
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
            return await ChosenAsync(request.Queue, ids, cancellationToken);
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

    /// <exception cref="OperationsRequestException">The hub has no such queue.</exception>
    public async Task RequireQueueAsync(string queue, CancellationToken cancellationToken)
    {
        if (!(await catalog.QueuesAsync(cancellationToken)).Contains(queue, StringComparer.Ordinal))
        {
            throw new OperationsRequestException(Problems.NotFound, $"The hub has no queue '{queue}'.", "queue");
        }
    }

    private async Task<ReplayPlan> ChosenAsync(string queue, IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            throw new OperationsRequestException(Problems.ValidationFailed, "messageIds lists no message.", "messageIds");
        }

        var all = await catalog.FindAsync(new DeadLetterQuery(queue, null, null, null, null, null), cancellationToken);
        var distinct = ids.Distinct(StringComparer.Ordinal).ToList();
        var chosen = distinct.Select(id => all.FirstOrDefault(m => m.MessageId == id)).ToList();
        var missing = distinct.Where((_, i) => chosen[i] is null).ToList();
        if (missing.Count > 0)
        {
            throw new OperationsRequestException(Problems.NothingToReplay, $"Not among the dead letters of '{queue}': {string.Join(", ", missing)}.", "messageIds", missing);
        }

        return new ReplayPlan(queue, [.. chosen.OfType<ReceivedMessage>()]);
    }
}
