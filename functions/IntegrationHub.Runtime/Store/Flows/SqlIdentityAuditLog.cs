using IntegrationHub.Core.Identity;

namespace IntegrationHub.Runtime.Store.Flows;

/// <summary>
/// The identity-lookup audit log on the hub database: append, then one outcome per lookup. Each is a
/// small write of its own, durable when the call returns (before the population database is asked).
/// </summary>
internal sealed class SqlIdentityAuditLog(IHubDatabase database, IHubStore store) : IIdentityAuditLog
{
    public Task RecordLookupAsync(IdentityLookup lookup, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        return store.WriteAsync(
            async (connection, token) =>
            {
                await using var insert = connection.Command("""
                    INSERT INTO hub_identity_lookups (lookup_id, at, officer, unit, purpose, masked_citizen_id, citizen_key, outcome, from_cache)
                    VALUES (@id, @at, @officer, @unit, @purpose, @masked, @key, @outcome, @cache)
                    """)
                    .Param("@id", lookup.LookupId).Param("@at", lookup.At).Param("@officer", lookup.Officer).Param("@unit", lookup.Unit)
                    .Param("@purpose", lookup.Purpose).Param("@masked", lookup.MaskedCitizenId).Param("@key", lookup.CitizenKey)
                    .Param("@outcome", lookup.Outcome).Param("@cache", lookup.FromCache ? 1 : 0);
                return await insert.ExecuteNonQueryAsync(token);
            },
            cancellationToken);
    }

    public Task RecordOutcomeAsync(string lookupId, string outcome, bool fromCache, CancellationToken cancellationToken) =>
        store.WriteAsync(
            async (connection, token) =>
            {
                await using var update = connection.Command("UPDATE hub_identity_lookups SET outcome = @outcome, from_cache = @cache WHERE lookup_id = @id AND outcome IS NULL")
                    .Param("@outcome", outcome).Param("@cache", fromCache ? 1 : 0).Param("@id", lookupId);
                return await update.ExecuteNonQueryAsync(token);
            },
            cancellationToken);

    public async Task<IReadOnlyList<IdentityLookup>> ListAsync(IdentityLookupFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var select = connection.Command("""
            SELECT lookup_id, at, officer, unit, purpose, masked_citizen_id, citizen_key, outcome, from_cache FROM hub_identity_lookups
            WHERE (@key IS NULL OR citizen_key = @key) AND (@officer IS NULL OR officer = @officer)
              AND (@from IS NULL OR at >= @from) AND (@to IS NULL OR at < @to)
            ORDER BY at DESC LIMIT @limit
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
}
