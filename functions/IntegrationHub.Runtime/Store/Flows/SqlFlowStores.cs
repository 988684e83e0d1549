using System.Data.Common;
using IntegrationHub.Core.Dossiers;
using IntegrationHub.Core.Identity;
using IntegrationHub.Core.Messaging;
using IntegrationHub.Core.Store;

namespace IntegrationHub.Runtime.Store.Flows;

/// <summary>Portal sync cursors on the hub database.</summary>
internal sealed class SqlSyncCursors(IHubDatabase database, TimeProvider time) : ISyncCursors
{
    public async Task<string?> GetAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var select = connection.Command("SELECT cursor FROM hub_sync_cursors WHERE name = @name").Param("@name", name);
        return await select.ExecuteScalarAsync(cancellationToken) as string;
    }

    public async Task SetAsync(IHubTransaction transaction, string name, string cursor, CancellationToken cancellationToken)
    {
        await using var upsert = transaction.Store().CreateCommand("""
            INSERT INTO hub_sync_cursors (name, cursor, updated_at) VALUES (@name, @cursor, @at)
            ON CONFLICT (name) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at
            """).Param("@name", name).Param("@cursor", cursor).Param("@at", time.GetUtcNow().Ms());
        await upsert.ExecuteNonQueryAsync(cancellationToken);
    }
}

/// <summary>Deadline alerts on the hub database: the primary key keeps one per dossier per threshold.</summary>
internal sealed class SqlDeadlineAlerts : IDeadlineAlerts
{
    public async Task<bool> TryRaiseAsync(IHubTransaction transaction, string portalCode, string threshold, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var insert = transaction.Store().CreateCommand("""
            INSERT INTO hub_deadline_alerts (portal_code, threshold, raised_at) VALUES (@code, @threshold, @at)
            ON CONFLICT (portal_code, threshold) DO NOTHING
            """).Param("@code", portalCode).Param("@threshold", threshold).Param("@at", at.Ms());
        return await insert.ExecuteNonQueryAsync(cancellationToken) == 1;
    }
}

/// <summary>
/// A dossier-code sequence inside one hub transaction: the number is taken in the same commit as the
/// dossier that gets it, so a rolled-back routing leaves no gap and no number is ever handed out twice.
/// </summary>
internal sealed class TransactionalDossierSequence(IHubTransaction transaction) : IDossierSequence
{
    public async ValueTask<long> NextAsync(string agencyCode, DateOnly day, CancellationToken cancellationToken)
    {
        await using var next = DossierSequences.Next(transaction.Store().CreateCommand(DossierSequences.Sql), agencyCode, day);
        return Convert.ToInt64(await next.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }
}

/// <summary>
/// A dossier-code sequence committed on its own, before the transaction that uses the number: the
/// day's row is locked for one statement, not for a whole routing transaction.
/// </summary>
internal sealed class SeparateDossierSequence(IHubDatabase database) : IDossierSequence
{
    public async ValueTask<long> NextAsync(string agencyCode, DateOnly day, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var next = DossierSequences.Next(connection.Command(DossierSequences.Sql), agencyCode, day);
        return Convert.ToInt64(await next.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }
}

/// <summary>The statement both sequences run: the day's next number, the day's first being 1.</summary>
internal static class DossierSequences
{
    public const string Sql = """
        INSERT INTO hub_dossier_sequences (agency, day, last) VALUES (@agency, @day, 1)
        ON CONFLICT (agency, day) DO UPDATE SET last = hub_dossier_sequences.last + 1
        RETURNING last
        """;

    public static DbCommand Next(DbCommand command, string agencyCode, DateOnly day) =>
        command.Param("@agency", agencyCode).Param("@day", day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
}

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
                    """);
                insert.Param("@id", lookup.LookupId).Param("@at", lookup.At.Ms()).Param("@officer", lookup.Officer).Param("@unit", lookup.Unit)
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
                await using var update = connection.Command("UPDATE hub_identity_lookups SET outcome = @outcome, from_cache = @cache WHERE lookup_id = @id AND outcome IS NULL");
                update.Param("@outcome", outcome).Param("@cache", fromCache ? 1 : 0).Param("@id", lookupId);
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
            """).Param("@key", filter.CitizenKey).Param("@officer", filter.Officer).Param("@from", filter.From?.Ms()).Param("@to", filter.To?.Ms()).Param("@limit", filter.Limit);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        var lookups = new List<IdentityLookup>();
        while (await reader.ReadAsync(cancellationToken))
        {
            lookups.Add(new IdentityLookup
            {
                LookupId = reader.GetString(0), At = SqlCommands.Instant(reader.GetInt64(1)), Officer = reader.GetString(2), Unit = reader.GetString(3),
                Purpose = reader.GetString(4), MaskedCitizenId = reader.GetString(5), CitizenKey = reader.GetString(6),
                Outcome = reader.StringOrNull(7), FromCache = reader.GetInt32(8) == 1,
            });
        }

        return lookups;
    }
}
