using IntegrationHub.Core.Dossiers;

namespace IntegrationHub.Functions.Status;

/// <summary>A dossier and its timeline (<c>GET /api/dossiers/{code}/timeline</c>).</summary>
internal sealed record DossierTimeline(
    string PortalCode,
    string? CityCode,
    string ProcedureCode,
    string? DepartmentCode,
    string? ReceivingBranch,
    DossierStage Stage,
    DossierStatus? Status,
    DateTimeOffset? DueAt,
    DateTimeOffset? PausedAt,
    DateTimeOffset ReceivedAt,
    IReadOnlyList<TimelineStep> Steps)
{
    public static DossierTimeline Of(DossierRecord dossier, IEnumerable<TimelineEvent> steps) => new(
        dossier.PortalCode, dossier.CityCode, dossier.ProcedureCode, dossier.DepartmentCode, dossier.ReceivingBranch, dossier.Stage,
        dossier.Progress?.Status, dossier.Progress?.DueAt, dossier.Progress?.PausedAt, dossier.ReceivedAt, [.. steps.Select(TimelineStep.Of)]);
}

/// <summary>One step of a dossier's timeline: when, who, which unit, what, the status it left, the message.</summary>
internal sealed record TimelineStep(DateTimeOffset At, string Actor, string Unit, string Action, DossierStatus? Status, string? MessageId)
{
    public static TimelineStep Of(TimelineEvent step) => new(step.At, step.Actor, step.Unit, step.Action, step.Status, step.MessageId);
}

/// <summary>A department's status report as the hub applied it (202).</summary>
/// <param name="CityCode">The dossier.</param>
/// <param name="Status">Its status now.</param>
/// <param name="DueAt">Its due date now (moved by a supplement's pause).</param>
/// <param name="Paused">Whether its clock is paused for supplementary documents.</param>
/// <param name="Duplicate">True when the report's id had been applied before: nothing changed.</param>
internal sealed record StatusReportApplied(string CityCode, DossierStatus Status, DateTimeOffset DueAt, bool Paused, bool Duplicate);
