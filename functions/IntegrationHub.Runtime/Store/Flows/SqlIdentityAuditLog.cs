using System.Data.Common;
using IntegrationHub.Core.Identity;
using IntegrationHub.Core.Messaging;

namespace IntegrationHub.Runtime.Store.Flows;

/// <summary>
/// The identity-lookup audit log on the hub database: the lookup, then its outcome as a row of its own
/// (nothing is ever updated, so the audit chain covers both). Each is one statement of its own,
/// durable when the call returns (the lookup before the population database is asked), or an
/// outcome written with the commit of the step that acts on it.
/// </summary>
internal sealed class SqlIdentityAuditLog(IHubDatabase database, IHubStore store, OpenTransactions transactions) : IIdentityAuditLog
{
    private const string InsertOutcome = "INSERT INTO hub_identity_outcomes (lookup_id, at, outcome, from_cache) VALUES (@id, @at, @outcome, @cache)";

    public Task RecordLookupAsync(IdentityLookup lookup, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        return store.WriteStatementAsync(
            connection => connection.Command("""
                INSERT INTO hub_identity_lookups (lookup_id, at, officer, unit, purpose, masked_citizen_id, citizen_key, outcome, from_cache)
                VALUES (@id, @at, @officer, @unit, @purpose, @masked, @key, @outcome, @cache)
                """)
                .Param("@id", lookup.LookupId).Param("@at", lookup.At).Param("@officer", lookup.Officer).Param("@unit", lookup.Unit)
                .Param("@purpose", lookup.Purpose).Param("@masked", lookup.MaskedCitizenId).Param("@key", lookup.CitizenKey)
                .Param("@outcome", lookup.Outcome).Param("@cache", lookup.FromCache ? 1 : 0),
            cancellationToken);
    }

    public Task RecordOutcomeAsync(IdentityLookupOutcome outcome, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return store.WriteStatementAsync(connection => Bind(connection.Command(InsertOutcome), outcome), cancellationToken);
    }

    public async Task RecordOutcomeAsync(IHubTransaction transaction, IdentityLookupOutcome outcome, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var store = transactions.Of(transaction);
        await using var insert = Bind(store.CreateCommand(InsertOutcome), outcome);
        await store.ExecuteWithCommitAsync(insert, cancellationToken);
    }

    public async Task<IReadOnlyList<IdentityLookup>> ListAsync(IdentityLookupFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var select = connection.Command("""
            SELECT l.lookup_id, l.at, l.officer, l.unit, l.purpose, l.masked_citizen_id, l.citizen_key,
                   COALESCE(l.outcome, o.outcome) AS outcome, COALESCE(o.from_cache, l.from_cache) AS from_cache
            FROM hub_identity_lookups l
            LEFT JOIN hub_identity_outcomes o ON o.id = (SELECT MAX(id) FROM hub_identity_outcomes WHERE lookup_id = l.lookup_id)
            WHERE (@key IS NULL OR l.citizen_key = @key) AND (@officer IS NULL OR l.officer = @officer)
              AND (@from IS NULL OR l.at >= @from) AND (@to IS NULL OR l.at < @to)
            ORDER BY l.at DESC LIMIT @limit
            """).Param("@key", filter.CitizenKey).Param("@officer", filter.Officer).Param("@from", filter.From).Param("@to", filter.To).Param("@limit", filter.Limit);
        return await select.ReadListAsync(
            reader => new IdentityLookup
            {
                LookupId = reader.Text("lookup_id"), At = reader.Time("at"), Officer = reader.Text("officer"), Unit = reader.Text("unit"),
                Purpose = reader.Text("purpose"), MaskedCitizenId = reader.Text("masked_citizen_id"), CitizenKey = reader.Text("citizen_key"),
                Outcome = reader.TextOrNull("outcome"), FromCache = reader.Flag("from_cache"),
            },
            cancellationToken);
    }

    private static DbCommand Bind(DbCommand insert, IdentityLookupOutcome outcome) =>
        insert.Param("@id", outcome.LookupId).Param("@at", outcome.At).Param("@outcome", outcome.Outcome).Param("@cache", outcome.FromCache ? 1 : 0);
}
