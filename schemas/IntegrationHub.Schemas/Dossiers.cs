namespace IntegrationHub.Schemas;

/// <summary>The person or organisation a dossier is for.</summary>
public sealed record Applicant
{
    /// <summary>Citizen, business, state agency or other.</summary>
    public required ApplicantKind Kind { get; init; }

    /// <summary>Full name with diacritics, as written by the applicant.</summary>
    public required string Name { get; init; }

    /// <summary>
    /// For a citizen the 12-digit personal ID (or a 9-digit old ID card number); for an
    /// organisation its registration or tax code.
    /// </summary>
    public required string IdNumber { get; init; }

    /// <summary>Date of birth of a citizen, when given.</summary>
    public DateOnly? BirthDate { get; init; }

    /// <summary>Sex of a citizen, when given.</summary>
    public Sex? Sex { get; init; }

    /// <summary>Contact e-mail, when given.</summary>
    public string? Email { get; init; }

    /// <summary>Contact phone number, when given.</summary>
    public string? Phone { get; init; }

    /// <summary>Contact address, when given.</summary>
    public string? Address { get; init; }
}

/// <summary>A document submitted with a dossier (the portal's <c>TaiLieuNop</c>).</summary>
public sealed record SubmittedDocument
{
    /// <summary>The portal's attachment id.</summary>
    public required string Id { get; init; }

    /// <summary>Document name.</summary>
    public required string Name { get; init; }

    /// <summary>The procedure's dossier-component code this document fulfils, when known.</summary>
    public string? ComponentCode { get; init; }

    /// <summary>Where the file can be fetched, when it was uploaded.</summary>
    public string? Url { get; init; }

    /// <summary>Whether the document was digitized (scanned and certified) at intake.</summary>
    public bool Digitized { get; init; }
}

/// <summary>A fee or charge of a dossier (the portal's <c>DanhSachLePhi</c>).</summary>
public sealed record Fee
{
    /// <summary>Fee code.</summary>
    public required string Code { get; init; }

    /// <summary>Fee name.</summary>
    public required string Name { get; init; }

    /// <summary>Amount in Vietnamese dong.</summary>
    public required decimal Amount { get; init; }
}

/// <summary>The resolution time a procedure allows.</summary>
public sealed record ResolutionTime
{
    /// <summary>Number of days.</summary>
    public required int Days { get; init; }

    /// <summary>Working days or calendar days.</summary>
    public required ResolutionKind Kind { get; init; }
}
