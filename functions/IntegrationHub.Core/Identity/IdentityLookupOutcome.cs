namespace IntegrationHub.Core.Identity;

/// <summary>
/// What came of an identity lookup, recorded as an entry of its own after the answer, so that the
/// lookup itself is never changed once written (and an edited outcome breaks the chain).
/// </summary>
public sealed record IdentityLookupOutcome
{
    /// <summary>The lookup it answers.</summary>
    public required string LookupId { get; init; }

    /// <summary>When the answer came.</summary>
    public required DateTimeOffset At { get; init; }

    /// <summary><c>match</c>, <c>mismatch</c>, <c>notFound</c>, <c>unavailable</c> or <c>rejected</c>.</summary>
    public required string Outcome { get; init; }

    /// <summary>Whether the answer came from the hub's short-lived cache.</summary>
    public bool FromCache { get; init; }
}
