namespace IntegrationHub.Schemas;

/// <summary>
/// HTTP body: an officer asks whether a person's citizen ID, name and birth date match the
/// National Population Database, for a stated purpose.
/// </summary>
public sealed record IdentityVerificationRequest
{
    /// <summary>The 12-digit personal ID number.</summary>
    public required string CitizenId { get; init; }

    /// <summary>Full name as the person wrote it (diacritics and case are ignored in matching).</summary>
    public required string FullName { get; init; }

    /// <summary>Date of birth.</summary>
    public required DateOnly BirthDate { get; init; }

    /// <summary>Why the data is looked at: one of the configured purposes (e.g. a procedure code).</summary>
    public required string Purpose { get; init; }
}

/// <summary>The outcome of an identity check.</summary>
public enum IdentityOutcome
{
    /// <summary>ID, name and birth date all agree with the population database.</summary>
    Match,
    /// <summary>The ID exists, but some of the given fields differ (listed).</summary>
    Mismatch,
    /// <summary>The population database has no one with that ID.</summary>
    NotFound,
}

/// <summary>A field of an identity check that can differ from the population database.</summary>
public enum IdentityField
{
    /// <summary>The full name (compared without case or diacritics).</summary>
    FullName,
    /// <summary>The date of birth.</summary>
    BirthDate,
}

/// <summary>HTTP body: the answer to an identity check, holding only what the purpose allows.</summary>
public sealed record IdentityVerificationResult
{
    /// <summary>The audit record of this lookup.</summary>
    public required string LookupId { get; init; }

    /// <summary>Match, mismatch or not found.</summary>
    public required IdentityOutcome Outcome { get; init; }

    /// <summary>The fields that differ, for a mismatch.</summary>
    public IReadOnlyList<IdentityField> MismatchedFields { get; init; } = [];

    /// <summary>Prefill data, limited to the fields the purpose allows; absent unless matched.</summary>
    public IdentityPrefill? Prefill { get; init; }

    /// <summary>When the population database was asked (earlier than now for a cached answer).</summary>
    public required DateTimeOffset CheckedAt { get; init; }
}

/// <summary>Data the population database holds that a form may be prefilled with.</summary>
public sealed record IdentityPrefill
{
    /// <summary>Full name as registered.</summary>
    public string? FullName { get; init; }

    /// <summary>Sex.</summary>
    public Sex? Sex { get; init; }

    /// <summary>Nationality.</summary>
    public string? Nationality { get; init; }

    /// <summary>Ethnicity.</summary>
    public string? Ethnicity { get; init; }

    /// <summary>Permanent residence, as one line.</summary>
    public string? PermanentAddress { get; init; }

    /// <summary>Current residence, as one line.</summary>
    public string? CurrentAddress { get; init; }

    /// <summary>Home town, as one line.</summary>
    public string? HomeTown { get; init; }
}
