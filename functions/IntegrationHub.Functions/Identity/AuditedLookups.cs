using IntegrationHub.Core.Gateways;
using IntegrationHub.Core.Identity;
using IntegrationHub.Core.Messaging;

namespace IntegrationHub.Functions.Identity;

/// <summary>
/// Lookups in the population database, each written to the audit log before the database is asked
/// (who, unit, purpose, when, masked ID, keyed hash of the ID), its outcome after: an officer's check
/// on demand and the intake's verify step alike.
/// </summary>
internal sealed class AuditedLookups(IPopulationRegistry registry, IIdentityAuditLog audit, CitizenKeys keys, TimeProvider time)
{
    /// <summary>A new lookup of <paramref name="citizenId"/> by <paramref name="officer"/> of <paramref name="unit"/> for <paramref name="purpose"/>.</summary>
    public IdentityLookup Start(string citizenId, string officer, string unit, string purpose) => new()
    {
        LookupId = "idl-" + Guid.CreateVersion7(time.GetUtcNow()).ToString("N"),
        At = time.GetUtcNow(),
        Officer = officer,
        Unit = unit,
        Purpose = purpose,
        MaskedCitizenId = CitizenId.Mask(citizenId),
        CitizenKey = keys.KeyOf(citizenId),
    };

    /// <summary>Records the lookup, asks the population database, and records the outcome (an outage or a refusal too).</summary>
    /// <exception cref="GatewayException">The database did not answer, or refused the question.</exception>
    public async Task<IdentityMatch> AskAsync(IdentityLookup lookup, IdentityQuery query, IReadOnlySet<PrefillField> fields, CancellationToken cancellationToken)
    {
        var answered = await AnswerAsync(lookup, query, fields, cancellationToken);
        await RecordOutcomeAsync(answered.Outcome, cancellationToken);
        return answered.Match;
    }

    /// <summary>
    /// Records the lookup and asks the population database; an outage or a refusal is recorded here, but
    /// the outcome of an answer is returned for the caller to record with what it does with it
    /// (<see cref="RecordOutcomeAsync(IHubTransaction, IdentityLookupOutcome, CancellationToken)"/>), or by
    /// itself where that does not commit.
    /// </summary>
    /// <exception cref="GatewayException">The database did not answer, or refused the question.</exception>
    public async Task<AnsweredLookup> AnswerAsync(IdentityLookup lookup, IdentityQuery query, IReadOnlySet<PrefillField> fields, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        await audit.RecordLookupAsync(lookup, cancellationToken);
        IdentityMatch match;
        try
        {
            match = await registry.VerifyAsync(query, fields, cancellationToken);
        }
        catch (GatewayException ex)
        {
            await audit.RecordOutcomeAsync(OutcomeOf(lookup, ex.Failure == GatewayFailure.Unavailable ? "unavailable" : "rejected"), CancellationToken.None);
            throw;
        }

        return new AnsweredLookup(match, OutcomeOf(lookup, OutcomeName(match.Outcome)));
    }

    /// <summary>Records an answer's outcome in <paramref name="transaction"/>, with the effect of the answer.</summary>
    public Task RecordOutcomeAsync(IHubTransaction transaction, IdentityLookupOutcome outcome, CancellationToken cancellationToken) =>
        audit.RecordOutcomeAsync(transaction, outcome, cancellationToken);

    /// <summary>Records an answer's outcome by itself.</summary>
    public Task RecordOutcomeAsync(IdentityLookupOutcome outcome, CancellationToken cancellationToken) =>
        audit.RecordOutcomeAsync(outcome, cancellationToken);

    /// <summary>Records a lookup answered from the cache, with its outcome: nobody was asked.</summary>
    public Task RecordCachedAsync(IdentityLookup lookup, IdentityOutcome outcome, CancellationToken cancellationToken) =>
        audit.RecordLookupAsync(lookup with { Outcome = OutcomeName(outcome), FromCache = true }, cancellationToken);

    private IdentityLookupOutcome OutcomeOf(IdentityLookup lookup, string outcome) => new() { LookupId = lookup.LookupId, At = time.GetUtcNow(), Outcome = outcome };

    /// <summary>An outcome as the audit log records it.</summary>
    private static string OutcomeName(IdentityOutcome outcome) => outcome switch
    {
        IdentityOutcome.Match => "match",
        IdentityOutcome.Mismatch => "mismatch",
        _ => "notFound",
    };
}

/// <summary>The population database's answer to a lookup, and its outcome as the audit log records it.</summary>
internal sealed record AnsweredLookup(IdentityMatch Match, IdentityLookupOutcome Outcome);
