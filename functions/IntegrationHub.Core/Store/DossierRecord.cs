using IntegrationHub.Core.Dossiers;
using IntegrationHub.Schemas;

namespace IntegrationHub.Core.Store;

/// <summary>Where a dossier is in the hub's own pipeline (its portal status is in <see cref="DossierRecord.Progress"/>).</summary>
public enum DossierStage
{
    /// <summary>Received from the portal; being verified.</summary>
    Received,
    /// <summary>Verified; being routed.</summary>
    Verified,
    /// <summary>Routed to its department.</summary>
    Routed,
    /// <summary>Refused (portal status 3).</summary>
    Rejected,
    /// <summary>Could not be processed; a dead letter with the reason waits for an operator.</summary>
    DeadLettered,
}

/// <summary>
/// The hub's record of a dossier: the minimum the flows need. Personal data stays in the messages;
/// the record keeps only the applicant's kind and masked ID.
/// </summary>
public sealed record DossierRecord
{
    /// <summary>The portal's dossier code (the key).</summary>
    public required string PortalCode { get; init; }

    /// <summary>The city dossier code, once issued.</summary>
    public string? CityCode { get; init; }

    /// <summary>Procedure code.</summary>
    public required string ProcedureCode { get; init; }

    /// <summary>How it was submitted.</summary>
    public required Channel Channel { get; init; }

    /// <summary>Citizen, business, ...</summary>
    public required ApplicantKind ApplicantKind { get; init; }

    /// <summary>The applicant's ID, masked.</summary>
    public required string MaskedApplicantId { get; init; }

    /// <summary>When the city received it (the due date counts from here).</summary>
    public required DateTimeOffset ReceivedAt { get; init; }

    /// <summary>A fingerprint of the submission's content, to tell a re-listed submission from a conflicting one.</summary>
    public required string Fingerprint { get; init; }

    /// <summary>Where it is in the hub's pipeline.</summary>
    public required DossierStage Stage { get; init; }

    /// <summary>The branch it was handed in at, if any.</summary>
    public string? HandedInAt { get; init; }

    /// <summary>The competent department, once routed.</summary>
    public string? DepartmentCode { get; init; }

    /// <summary>The branch that receives for the department, once routed.</summary>
    public string? ReceivingBranch { get; init; }

    /// <summary>The sector system it goes to, if any.</summary>
    public string? SectorSystem { get; init; }

    /// <summary>The sector system's receipt id, once delivered there.</summary>
    public string? SectorReceiptId { get; init; }

    /// <summary>The routing table version used.</summary>
    public string? RoutingVersion { get; init; }

    /// <summary>Portal status and due date, once accepted (or refused).</summary>
    public DossierProgress? Progress { get; init; }

    /// <summary>The latest status change the portal has been told of (older ones arriving late are not sent again).</summary>
    public DateTimeOffset? PortalSyncedAt { get; init; }

    /// <summary>Optimistic concurrency: bumped on every save.</summary>
    public long Version { get; init; }

    /// <summary>The dossier routed as <paramref name="routing"/> says (stage <see cref="DossierStage.Routed"/>).</summary>
    public DossierRecord RoutedAs(DossierRouting routing)
    {
        ArgumentNullException.ThrowIfNull(routing);
        return this with
        {
            CityCode = routing.CityCode, Stage = DossierStage.Routed, DepartmentCode = routing.DepartmentCode, ReceivingBranch = routing.ReceivingBranch,
            SectorSystem = routing.SectorSystem, RoutingVersion = routing.RoutingVersion, Progress = routing.Progress,
        };
    }
}

/// <summary>What routing gives a dossier: its city code, competent department, receiving branch, sector system, table version and progress.</summary>
public sealed record DossierRouting
{
    /// <summary>The city dossier code.</summary>
    public required string CityCode { get; init; }

    /// <summary>The competent department.</summary>
    public required string DepartmentCode { get; init; }

    /// <summary>The branch that receives for the department.</summary>
    public required string ReceivingBranch { get; init; }

    /// <summary>The sector system it goes to, if any.</summary>
    public string? SectorSystem { get; init; }

    /// <summary>The routing table version used.</summary>
    public required string RoutingVersion { get; init; }

    /// <summary>Portal status (accepted), resolution time and due date.</summary>
    public required DossierProgress Progress { get; init; }
}

/// <summary>One step on a dossier's public timeline: who, which unit, what, when, which message.</summary>
public sealed record TimelineEvent
{
    /// <summary>The dossier's portal code.</summary>
    public required string PortalCode { get; init; }

    /// <summary>When.</summary>
    public required DateTimeOffset At { get; init; }

    /// <summary>Who: an officer's name, a system, or the hub.</summary>
    public required string Actor { get; init; }

    /// <summary>The unit that acted.</summary>
    public required string Unit { get; init; }

    /// <summary>What was done.</summary>
    public required string Action { get; init; }

    /// <summary>The portal status after the step, when it changed one.</summary>
    public DossierStatus? Status { get; init; }

    /// <summary>The message that carried the step, if any.</summary>
    public string? MessageId { get; init; }
}
