using IntegrationHub.Core.Gateways;
using IntegrationHub.Schemas;

namespace IntegrationHub.Flows.Tests;

/// <summary>
/// The National Population Database in memory: the citizens it knows, matched on name and birth date;
/// the questions it was asked; a failure when a test sets one; and what a test does as an answer goes back.
/// </summary>
internal sealed class InMemoryPopulation : IPopulationRegistry
{
    private readonly Dictionary<string, (string Name, DateOnly BirthDate, IdentityPrefill Prefill)> citizens = new(StringComparer.Ordinal);

    public GatewayFailure? Failing { get; set; }

    public List<IdentityQuery> Asked { get; } = [];

    /// <summary>Run once the database has answered, before the answer reaches the caller.</summary>
    public Action? Answering { get; set; }

    public void Knows(string citizenId, string name, DateOnly birthDate, IdentityPrefill? prefill = null) =>
        citizens[citizenId] = (name, birthDate, prefill ?? new IdentityPrefill { FullName = name });

    public Task<IdentityMatch> VerifyAsync(IdentityQuery query, IReadOnlySet<PrefillField> wanted, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        Asked.Add(query);
        if (Failing is { } failure)
        {
            throw new GatewayException("population", "TraCuuThongTinCongDan", failure, $"The population database {(failure == GatewayFailure.Unavailable ? "is unavailable" : "refused the question")}.");
        }

        Answering?.Invoke();
        if (!citizens.TryGetValue(query.CitizenId, out var citizen))
        {
            return Task.FromResult(new IdentityMatch(IdentityOutcome.NotFound, [], null));
        }

        List<IdentityField> differ = [];
        if (citizen.Name != query.FullName)
        {
            differ.Add(IdentityField.FullName);
        }

        if (citizen.BirthDate != query.BirthDate)
        {
            differ.Add(IdentityField.BirthDate);
        }

        return Task.FromResult(differ.Count == 0
            ? new IdentityMatch(IdentityOutcome.Match, [], citizen.Prefill)
            : new IdentityMatch(IdentityOutcome.Mismatch, differ, null));
    }
}
