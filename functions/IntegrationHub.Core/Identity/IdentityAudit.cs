using IntegrationHub.Core.Messaging;

namespace IntegrationHub.Core.Identity;

/// <summary>
/// One lookup of a citizen's personal data, as the audit log keeps it: who asked, for which
/// purpose, when, about whom (masked, plus a keyed hash to find lookups by citizen without
/// keeping the number), and what came of it.
/// </summary>
public sealed record IdentityLookup
{
    /// <summary>The lookup's id, returned to the caller and sent to the population database as the request id.</summary>
    public required string LookupId { get; init; }

    /// <summary>When it was asked.</summary>
    public required DateTimeOffset At { get; init; }

    /// <summary>The officer's account.</summary>
    public required string Officer { get; init; }

    /// <summary>The officer's unit.</summary>
    public required string Unit { get; init; }

    /// <summary>Why the data was looked at.</summary>
    public required string Purpose { get; init; }

    /// <summary>The citizen ID with all but its first and last three digits hidden.</summary>
    public required string MaskedCitizenId { get; init; }

    /// <summary>A keyed hash of the citizen ID: finds a citizen's lookups without storing the number.</summary>
    public required string CitizenKey { get; init; }

    /// <summary>
    /// What came of it (<c>match</c>, <c>mismatch</c>, <c>notFound</c>, <c>unavailable</c>, <c>rejected</c>):
    /// written with the lookup for an answer from the cache, otherwise an <see cref="IdentityLookupOutcome"/>
    /// of its own, shown here when listed; null while the call is under way.
    /// </summary>
    public string? Outcome { get; init; }

    /// <summary>Whether the answer came from the hub's short-lived cache rather than the database.</summary>
    public bool FromCache { get; init; }
}

/// <summary>Which lookups to list (every given condition holds).</summary>
/// <param name="CitizenKey">The keyed hash of a citizen ID.</param>
/// <param name="Officer">An officer's account.</param>
/// <param name="From">At or after.</param>
/// <param name="To">Before.</param>
/// <param name="Limit">At most this many, newest first.</param>
public sealed record IdentityLookupFilter(string? CitizenKey, string? Officer, DateTimeOffset? From, DateTimeOffset? To, int Limit);

/// <summary>The append-only audit log of identity lookups.</summary>
public interface IIdentityAuditLog
{
    /// <summary>
    /// Records a lookup before the population database is asked (with no outcome yet), or, for an
    /// answer from the cache, together with its outcome.
    /// </summary>
    Task RecordLookupAsync(IdentityLookup lookup, CancellationToken cancellationToken);

    /// <summary>Records what came of a lookup, as an entry of its own: the lookup itself is never changed.</summary>
    Task RecordOutcomeAsync(IdentityLookupOutcome outcome, CancellationToken cancellationToken);

    /// <summary>
    /// Records what came of a lookup in <paramref name="transaction"/>, durable when it commits: a step
    /// that acts on the answer records it with its effect.
    /// </summary>
    Task RecordOutcomeAsync(IHubTransaction transaction, IdentityLookupOutcome outcome, CancellationToken cancellationToken);

    /// <summary>Lists lookups, newest first.</summary>
    Task<IReadOnlyList<IdentityLookup>> ListAsync(IdentityLookupFilter filter, CancellationToken cancellationToken);
}
