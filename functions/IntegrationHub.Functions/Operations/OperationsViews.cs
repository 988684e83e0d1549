using System.Diagnostics;
using System.Text.Json.Nodes;
using IntegrationHub.Connectors;
using IntegrationHub.Core;
using IntegrationHub.Core.Operations;

namespace IntegrationHub.Functions.Operations;

/// <summary>A replay job and its progress. Times are Vietnam time.</summary>
internal sealed record ReplayJobView(
    string Id, string Queue, ReplayJobStatus Status, string Actor, string ActorName, string Comment, JsonNode? Selection, int MaxPerSecond,
    DateTimeOffset CreatedAt, DateTimeOffset? FinishedAt, string? CancelledBy, int Total, int Pending, int Replayed, int NotFound, int Failed)
{
    public static ReplayJobView Of(ReplayJob job) => new(
        job.Id, job.Queue, job.Status, job.Actor, job.ActorName, job.Comment, JsonNode.Parse(job.Selection), job.MaxPerSecond,
        VietnamTime.ToLocal(job.CreatedAt), job.FinishedAt is { } finished ? VietnamTime.ToLocal(finished) : null, job.CancelledBy,
        job.Counts.Values.Sum(), job.Counts.GetValueOrDefault(ReplayItemState.Pending), job.Counts.GetValueOrDefault(ReplayItemState.Replayed),
        job.Counts.GetValueOrDefault(ReplayItemState.NotFound), job.Counts.GetValueOrDefault(ReplayItemState.Failed));
}

/// <summary>What became of one dead letter of a replay job.</summary>
internal sealed record ReplayItemView(int Position, string MessageId, string? CorrelationId, string? Reason, ReplayItemState State, DateTimeOffset? TriedAt, string? Error)
{
    public static ReplayItemView Of(ReplayItem item) =>
        new(item.Position, item.MessageId, item.CorrelationId, item.Reason, item.State, item.TriedAt is { } at ? VietnamTime.ToLocal(at) : null, item.Error);
}

/// <summary>One entry of the operator audit log: when, who, what, to which messages, why, and the particulars.</summary>
internal sealed record AuditEntryView(
    long Id, DateTimeOffset At, string Actor, string ActorName, string Unit, string Action, string? Queue, string? MessageId, string? JobId, string Comment, JsonNode? Detail)
{
    public static AuditEntryView Of(OperatorAction entry) => new(
        entry.Id, VietnamTime.ToLocal(entry.At), entry.Actor, entry.ActorName, entry.Unit, entry.Action, entry.Queue, entry.MessageId, entry.JobId,
        entry.Comment, entry.Detail is null ? null : JsonNode.Parse(entry.Detail));
}

/// <summary>A connected system's circuit: closed, open, half-open; calls in flight and waiting. Times are Vietnam time.</summary>
internal sealed record ConnectorView(string System, CircuitStatus State, DateTimeOffset? Since, string? LastFailure, int InFlight, int Queued)
{
    public static ConnectorView Of(ConnectorCircuit circuit) =>
        new(circuit.System, circuit.State, circuit.Since is { } at ? VietnamTime.ToLocal(at) : null, circuit.LastFailure, circuit.InFlight, circuit.Queued);
}

/// <summary>How the operations API writes what it reads from the trace context.</summary>
internal static class OperationsViews
{
    /// <summary>The trace id of a W3C <c>traceparent</c>, or null.</summary>
    public static string? TraceIdOf(IReadOnlyDictionary<string, string> properties) =>
        properties.TryGetValue(Runtime.Functions.RuntimeTelemetry.TraceParentProperty, out var traceParent) && ActivityContext.TryParse(traceParent, null, out var context)
            ? context.TraceId.ToHexString()
            : null;
}
