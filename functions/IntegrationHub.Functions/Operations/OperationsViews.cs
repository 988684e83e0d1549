using System.Diagnostics;
using System.Text.Json.Nodes;
using IntegrationHub.Core;
using IntegrationHub.Core.Operations;

namespace IntegrationHub.Functions.Operations;

/// <summary>How the operations API writes replay jobs and audit entries (times in Vietnam time).</summary>
internal static class OperationsViews
{
    public static object Job(ReplayJob job) => new
    {
        job.Id,
        job.Queue,
        status = job.Status,
        job.Actor,
        job.ActorName,
        job.Comment,
        selection = JsonNode.Parse(job.Selection),
        job.MaxPerSecond,
        createdAt = VietnamTime.ToLocal(job.CreatedAt),
        finishedAt = job.FinishedAt is { } finished ? VietnamTime.ToLocal(finished) : (DateTimeOffset?)null,
        job.CancelledBy,
        total = job.Counts.Values.Sum(),
        pending = job.Counts.GetValueOrDefault(ReplayItemState.Pending),
        replayed = job.Counts.GetValueOrDefault(ReplayItemState.Replayed),
        notFound = job.Counts.GetValueOrDefault(ReplayItemState.NotFound),
        failed = job.Counts.GetValueOrDefault(ReplayItemState.Failed),
    };

    public static object Item(ReplayItem item) => new
    {
        item.Position,
        item.MessageId,
        item.CorrelationId,
        item.Reason,
        state = item.State,
        triedAt = item.TriedAt is { } at ? VietnamTime.ToLocal(at) : (DateTimeOffset?)null,
        item.Error,
    };

    public static object Entry(OperatorAction entry) => new
    {
        entry.Id,
        at = VietnamTime.ToLocal(entry.At),
        entry.Actor,
        entry.ActorName,
        entry.Unit,
        entry.Action,
        entry.Queue,
        entry.MessageId,
        entry.JobId,
        entry.Comment,
        detail = entry.Detail is null ? null : JsonNode.Parse(entry.Detail),
    };

    /// <summary>The trace id of a W3C <c>traceparent</c>, or null.</summary>
    public static string? TraceIdOf(IReadOnlyDictionary<string, string> properties) =>
        properties.TryGetValue(Runtime.Functions.RuntimeTelemetry.TraceParentProperty, out var traceParent) && ActivityContext.TryParse(traceParent, null, out var context)
            ? context.TraceId.ToHexString()
            : null;
}
