namespace IntegrationHub.Schemas;

/// <summary>
/// Event: a dossier was accepted and routed to its one competent department. This is what a
/// department receives from its queue (and its sector system, where it has one).
/// </summary>
public sealed record DossierRouted
{
    /// <summary>The city dossier code, <c>{agency code}-{yyMMdd}-{sequence}</c>.</summary>
    public required string CityCode { get; init; }

    /// <summary>The portal's dossier code.</summary>
    public required string PortalCode { get; init; }

    /// <summary>Administrative procedure code.</summary>
    public required string ProcedureCode { get; init; }

    /// <summary>Administrative procedure name.</summary>
    public required string ProcedureName { get; init; }

    /// <summary>Code of the competent department.</summary>
    public required string DepartmentCode { get; init; }

    /// <summary>Name of the competent department.</summary>
    public required string DepartmentName { get; init; }

    /// <summary>The branch of the center that receives for that department.</summary>
    public required string ReceivingBranch { get; init; }

    /// <summary>The sector system the dossier is also delivered to (e.g. <c>land</c>), if any.</summary>
    public string? SectorSystem { get; init; }

    /// <summary>How the dossier was submitted.</summary>
    public required Channel Channel { get; init; }

    /// <summary>Who the dossier is for.</summary>
    public required Applicant Applicant { get; init; }

    /// <summary>Summary of the request.</summary>
    public required string Summary { get; init; }

    /// <summary>When the city received the dossier; the due date counts from here.</summary>
    public required DateTimeOffset ReceivedAt { get; init; }

    /// <summary>When the result is due (working-day calendar).</summary>
    public required DateTimeOffset DueAt { get; init; }

    /// <summary>The resolution time the procedure allows.</summary>
    public required ResolutionTime Resolution { get; init; }

    /// <summary>Version of the routing table the dossier was routed by.</summary>
    public required string RoutingTableVersion { get; init; }

    /// <summary>Submitted documents.</summary>
    public IReadOnlyList<SubmittedDocument> Documents { get; init; } = [];

    /// <summary>Fees and charges.</summary>
    public IReadOnlyList<Fee> Fees { get; init; } = [];
}
