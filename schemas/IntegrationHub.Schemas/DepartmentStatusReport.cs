namespace IntegrationHub.Schemas;

/// <summary>
/// HTTP body: a department reports progress on one of its dossiers
/// (<c>POST /api/departments/{department}/dossiers/{cityCode}/status</c>).
/// </summary>
public sealed record DepartmentStatusReport
{
    /// <summary>
    /// The department's own id for this report; sending the same id twice changes nothing the
    /// second time (idempotency key).
    /// </summary>
    public required string ReportId { get; init; }

    /// <summary>The new status.</summary>
    public required DossierStatus Status { get; init; }

    /// <summary>The officer who made the change.</summary>
    public required Officer Officer { get; init; }

    /// <summary>The unit (division) within the department that made the change.</summary>
    public required string Unit { get; init; }

    /// <summary>What was done, in words the applicant can read.</summary>
    public required string Action { get; init; }

    /// <summary>
    /// Why, for a refusal, a stop or a supplement request (which documents are missing).
    /// </summary>
    public string? Reason { get; init; }

    /// <summary>When the change was made; the hub's receipt time when left out.</summary>
    public DateTimeOffset? OccurredAt { get; init; }
}

/// <summary>An officer, as shown on a dossier's public timeline.</summary>
public sealed record Officer
{
    /// <summary>Full name.</summary>
    public required string Name { get; init; }

    /// <summary>Title (<c>ChucDanh</c>), e.g. "Chuyên viên".</summary>
    public string? Title { get; init; }
}
