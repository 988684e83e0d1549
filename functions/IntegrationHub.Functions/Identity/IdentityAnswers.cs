using IntegrationHub.Core.Identity;

namespace IntegrationHub.Functions.Identity;

/// <summary>Identity lookups of the audit log, newest first (<c>GET /api/identity/lookups</c>).</summary>
internal sealed record IdentityLookupPage(int Count, IReadOnlyList<IdentityLookupView> Lookups);

/// <summary>One identity lookup: who asked, for what, about whom (masked), and what came of it.</summary>
internal sealed record IdentityLookupView(string LookupId, DateTimeOffset At, string Officer, string Unit, string Purpose, string CitizenId, string? Outcome, bool FromCache)
{
    public static IdentityLookupView Of(IdentityLookup lookup) =>
        new(lookup.LookupId, lookup.At, lookup.Officer, lookup.Unit, lookup.Purpose, lookup.MaskedCitizenId, lookup.Outcome, lookup.FromCache);
}

/// <summary>Who the hub takes the caller for (<c>GET /api/me</c>).</summary>
internal sealed record CallerView(string Subject, string Name, string Unit, IReadOnlyList<string> Roles, IReadOnlyList<string> Departments);
