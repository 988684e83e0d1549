using System.Text.Json.Nodes;
using IntegrationHub.Functions.Status;

namespace IntegrationHub.Functions.Operations;

/// <summary>An operator's first look (<c>GET /api/ops/overview</c>).</summary>
internal sealed record OperationsOverview(DateTimeOffset Now, IReadOnlyList<QueueView> Queues, DeadLetterOverview DeadLetters, DeadlineCounts Deadlines, IReadOnlyList<ConnectorView> Connectors);

/// <summary>How many dead letters there are, grouped, and the five newest.</summary>
internal sealed record DeadLetterOverview(int Count, IReadOnlyList<DeadLetterGroup> Groups, IReadOnlyList<DeadLetterSummary> Latest);

/// <summary>How many dossiers are at risk, by kind.</summary>
internal sealed record DeadlineCounts(int Overdue, int DueToday, int NearDue, int Paused, bool Truncated);

/// <summary>Every queue (<c>GET /api/ops/queues</c>).</summary>
internal sealed record QueueList(IReadOnlyList<QueueView> Queues);

/// <summary>Dead letters, grouped, then newest first (<c>GET /api/ops/dead-letters</c>).</summary>
internal sealed record DeadLetterPage(int Count, bool Truncated, IReadOnlyList<DeadLetterGroup> Groups, IReadOnlyList<DeadLetterSummary> DeadLetters);

/// <summary>One dead letter with everything an operator needs to decide (<c>GET /api/ops/dead-letters/{queue}/{messageId}</c>).</summary>
internal sealed record DeadLetterDetail(
    DeadLetterSummary DeadLetter,
    string? ContentType,
    JsonNode? Body,
    string? BodyText,
    IReadOnlyDictionary<string, string> Properties,
    string? TraceId,
    string ReplayTo,
    DossierBrief? Dossier,
    IReadOnlyList<TimelineStep> Timeline,
    IReadOnlyList<AuditEntryView> History);

/// <summary>The dossier a dead letter belongs to.</summary>
internal sealed record DossierBrief(string PortalCode, string? CityCode, string ProcedureCode, DossierStage Stage, string? DepartmentCode);

/// <summary>What a replay would do, without doing it (<c>dryRun</c>, 200).</summary>
internal sealed record ReplayDryRun(bool DryRun, string Queue, int Count, IReadOnlyList<ReplayDryRunItem> DeadLetters);

/// <summary>One dead letter of a dry run, and the queue it would go back to.</summary>
internal sealed record ReplayDryRunItem(DeadLetterSummary Letter, string From, string To);

/// <summary>The latest replay jobs (<c>GET /api/ops/replays</c>).</summary>
internal sealed record ReplayJobList(IReadOnlyList<ReplayJobView> Jobs);

/// <summary>A replay job and its items (<c>GET /api/ops/replays/{id}</c>).</summary>
internal sealed record ReplayJobDetail(ReplayJobView Job, IReadOnlyList<ReplayItemView> Items);

/// <summary>The operator audit log, newest first (<c>GET /api/ops/audit</c>).</summary>
internal sealed record AuditLogPage(IReadOnlyList<AuditEntryView> Entries);

/// <summary>Every connected system's circuit (<c>GET /api/ops/connectors</c>).</summary>
internal sealed record ConnectorList(IReadOnlyList<ConnectorView> Connectors);

/// <summary>The process answers (<c>GET /health/live</c>).</summary>
internal sealed record Liveness(string Status);

/// <summary>Whether the hub can do its work (<c>GET /health/ready</c>): each part named, with a short reason.</summary>
internal sealed record Readiness(string Status, IReadOnlyDictionary<string, ReadinessPart> Checks);

/// <summary>One part of readiness: the store, the transport, the connectors.</summary>
internal sealed record ReadinessPart(bool Ready, string? Detail);
