using IntegrationHub.Schemas;

namespace IntegrationHub.Core.Gateways;

/// <summary>
/// The National Population Database, as the hub uses it: it answers whether an identity matches,
/// and hands on no more personal data than the caller asked for.
/// </summary>
public interface IPopulationRegistry
{
    /// <summary>
    /// Compares a citizen ID, name (without case or diacritics) and birth date with the database;
    /// the prefill holds only the <paramref name="wanted"/> fields, and only on a match.
    /// </summary>
    Task<IdentityMatch> VerifyAsync(IdentityQuery query, IReadOnlySet<PrefillField> wanted, CancellationToken cancellationToken);
}

/// <summary>What to check, and who asks (the gateway requires the caller's identifiers).</summary>
/// <param name="CitizenId">The 12-digit personal ID.</param>
/// <param name="FullName">The name as given.</param>
/// <param name="BirthDate">The birth date as given.</param>
/// <param name="Caller">Who asks and why.</param>
public sealed record IdentityQuery(string CitizenId, string FullName, DateOnly BirthDate, CallerInfo Caller);

/// <summary>The caller identifiers the population gateway logs with every lookup.</summary>
/// <param name="OfficerCode">The officer or system account.</param>
/// <param name="Unit">The officer's unit.</param>
/// <param name="Purpose">Why the lookup is made.</param>
/// <param name="RequestId">The hub's audit record of the lookup.</param>
public sealed record CallerInfo(string OfficerCode, string Unit, string Purpose, string RequestId);

/// <summary>The answer: match, mismatch (with the fields that differ) or not found, and the allowed prefill.</summary>
/// <param name="Outcome">Match, mismatch or not found.</param>
/// <param name="MismatchedFields">The fields that differ, for a mismatch.</param>
/// <param name="Prefill">The wanted fields, on a match; otherwise null.</param>
public sealed record IdentityMatch(IdentityOutcome Outcome, IReadOnlyList<IdentityField> MismatchedFields, IdentityPrefill? Prefill);

/// <summary>A field of <see cref="IdentityPrefill"/> a caller may be allowed to receive.</summary>
public enum PrefillField
{
    /// <summary>Full name.</summary>
    FullName,
    /// <summary>Sex.</summary>
    Sex,
    /// <summary>Nationality.</summary>
    Nationality,
    /// <summary>Ethnicity.</summary>
    Ethnicity,
    /// <summary>Permanent residence.</summary>
    PermanentAddress,
    /// <summary>Current residence.</summary>
    CurrentAddress,
    /// <summary>Home town.</summary>
    HomeTown,
}
