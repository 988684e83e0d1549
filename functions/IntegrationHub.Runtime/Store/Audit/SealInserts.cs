using System.Data.Common;
using IntegrationHub.Core.Audit;

namespace IntegrationHub.Runtime.Store.Audit;

/// <summary>The seals of a sealer's batch written to <c>hub_audit_seals</c>, in as few statements as each store allows.</summary>
internal static class SealInserts
{
    /// <summary>
    /// SQLite: one statement prepared for the batch and executed for each seal, bound by position
    /// (<see cref="SqliteSealRows"/>); PostgreSQL: one round trip for the batch, its columns as arrays.
    /// </summary>
    public static async Task InsertAsync(DbConnection connection, SqlDialect dialect, IReadOnlyList<ChainSeal> seals, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (dialect == SqlDialect.PostgreSql)
        {
            await using var batch = connection.Command("""
                INSERT INTO hub_audit_seals (chain, position, kind, entry_id, previous_hash, hash, sealed_at)
                SELECT chain, position, kind, entry_id, previous_hash, hash, @at
                FROM unnest(@chains, @positions, @kinds, @ids, @previous, @hashes) AS s (chain, position, kind, entry_id, previous_hash, hash)
                """)
                .Param("@at", now).Param("@chains", (object)seals.Select(s => s.Chain).ToArray()).Param("@positions", (object)seals.Select(s => s.Position).ToArray())
                .Param("@kinds", (object)seals.Select(s => s.Kind).ToArray()).Param("@ids", (object)seals.Select(s => s.EntryId).ToArray())
                .Param("@previous", (object)seals.Select(s => s.PreviousHash).ToArray()).Param("@hashes", (object)seals.Select(s => s.Hash).ToArray());
            await batch.ExecuteNonQueryAsync(cancellationToken);
            return;
        }

        SqliteSealRows.Insert((Microsoft.Data.Sqlite.SqliteConnection)connection, seals, now.ToUnixTimeMilliseconds());
    }
}
