namespace IntegrationHub.Schemas;

/// <summary>How an applicant's identity was established before routing.</summary>
public enum IdentityCheck
{
    /// <summary>The citizen ID, name and birth date matched the National Population Database.</summary>
    Matched,
    /// <summary>An organisation: not looked up in the population database.</summary>
    NotApplicable,
    /// <summary>An old 9-digit ID card, which the population database does not match: left to the officer.</summary>
    OldIdCard,
}

/// <summary>
/// Event: a submission's applicant was verified (or needs no verification); the dossier goes to
/// routing. The submission carries what the population database prefilled.
/// </summary>
public sealed record ApplicantVerified
{
    /// <summary>The submission, its applicant prefilled from the population database.</summary>
    public required SubmissionReceived Submission { get; init; }

    /// <summary>When the city received the dossier; routing and the due date count from here.</summary>
    public required DateTimeOffset ReceivedAt { get; init; }

    /// <summary>How the applicant's identity was established.</summary>
    public required IdentityCheck IdentityCheck { get; init; }
}
