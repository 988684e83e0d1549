namespace IntegrationHub.Schemas;

/// <summary>
/// Event: a submission arrived from the National Public Service Portal (pulled or pushed by
/// webhook), mapped from the portal's field names to the hub's. Sent to the intake queue.
/// </summary>
public sealed record SubmissionReceived
{
    /// <summary>The portal's dossier code (<c>MaHoSo</c>); the deduplication key.</summary>
    public required string PortalCode { get; init; }

    /// <summary>Administrative procedure code (<c>MaTTHC</c>), e.g. <c>1.001612</c>.</summary>
    public required string ProcedureCode { get; init; }

    /// <summary>How the dossier was submitted.</summary>
    public required Channel Channel { get; init; }

    /// <summary>Who the dossier is for.</summary>
    public required Applicant Applicant { get; init; }

    /// <summary>Summary of the request (<c>TrichYeuHoSo</c>).</summary>
    public required string Summary { get; init; }

    /// <summary>When the applicant submitted it (<c>NgayNopHoSo</c>).</summary>
    public required DateTimeOffset SubmittedAt { get; init; }

    /// <summary>Branch code where it was handed in, for in-person and postal dossiers.</summary>
    public string? ReceivingBranch { get; init; }

    /// <summary>Submitted documents.</summary>
    public IReadOnlyList<SubmittedDocument> Documents { get; init; } = [];

    /// <summary>Fees and charges.</summary>
    public IReadOnlyList<Fee> Fees { get; init; } = [];
}
