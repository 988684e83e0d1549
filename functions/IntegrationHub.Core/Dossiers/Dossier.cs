using IntegrationHub.Schemas;

namespace IntegrationHub.Core.Dossiers;

/// <summary>
/// A dossier (<c>hồ sơ</c>): an applicant's request under one administrative procedure, from
/// receipt to the return of its result.
/// </summary>
public sealed record Dossier
{
    /// <summary>The portal's dossier code.</summary>
    public required string PortalCode { get; init; }

    /// <summary>The city dossier code, once the city accepted the dossier.</summary>
    public string? CityCode { get; init; }

    /// <summary>Administrative procedure code.</summary>
    public required string ProcedureCode { get; init; }

    /// <summary>How it was submitted.</summary>
    public required Channel Channel { get; init; }

    /// <summary>Who it is for: a citizen or an organisation.</summary>
    public required Applicant Applicant { get; init; }

    /// <summary>Summary of the request.</summary>
    public required string Summary { get; init; }

    /// <summary>When the city received it.</summary>
    public required DateTimeOffset ReceivedAt { get; init; }

    /// <summary>The competent department, once routed.</summary>
    public string? DepartmentCode { get; init; }

    /// <summary>The branch that receives for that department, once routed.</summary>
    public string? ReceivingBranch { get; init; }

    /// <summary>Submitted documents.</summary>
    public IReadOnlyList<SubmittedDocument> Documents { get; init; } = [];

    /// <summary>Fees and charges.</summary>
    public IReadOnlyList<Fee> Fees { get; init; } = [];

    /// <summary>Status and due date, once accepted.</summary>
    public DossierProgress? Progress { get; init; }

    /// <summary>A dossier as the portal submitted it, received by the city at <paramref name="receivedAt"/>.</summary>
    public static Dossier FromSubmission(SubmissionReceived submission, DateTimeOffset receivedAt)
    {
        ArgumentNullException.ThrowIfNull(submission);
        return new Dossier
        {
            PortalCode = submission.PortalCode,
            ProcedureCode = submission.ProcedureCode,
            Channel = submission.Channel,
            Applicant = submission.Applicant,
            Summary = submission.Summary,
            ReceivedAt = receivedAt,
            ReceivingBranch = submission.ReceivingBranch,
            Documents = submission.Documents,
            Fees = submission.Fees,
        };
    }
}
