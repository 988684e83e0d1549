using System.Data.Common;
using System.Globalization;
using IntegrationHub.Core.Audit;

namespace IntegrationHub.Runtime.Store.Audit;

/// <summary>The seals of a sealer's batch written to <c>hub_audit_seals</c>, in as few statements as each store allows.</summary>
internal static class SealInserts
{
    private const int SealsPerStatement = 32;

    /// <summary>
    /// SQLite: statements of <see cref="SealsPerStatement"/> seals each, kept prepared on the writer's
    /// connection (the rest one by one); PostgreSQL: one round trip for the batch, its columns as arrays.
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

        var at = now.ToUnixTimeMilliseconds();
        var whole = seals.Count - (seals.Count % SealsPerStatement);
        if (whole > 0)
        {
            var rows = connection.Prepared(SealRows(SealsPerStatement));
            for (var first = 0; first < whole; first += SealsPerStatement)
            {
                Bind(rows, seals, first, SealsPerStatement, at);
                await rows.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        var row = connection.Prepared(SealRows(1));
        for (var one = whole; one < seals.Count; one++)
        {
            Bind(row, seals, one, 1, at);
            await row.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>An insert of <paramref name="count"/> seals, its parameters numbered in order: seven a seal, then the time.</summary>
    private static string SealRows(int count) =>
        "INSERT INTO hub_audit_seals (chain, position, kind, entry_id, previous_hash, hash, sealed_at) VALUES "
        + string.Join(", ", Enumerable.Range(0, count).Select(i => string.Create(CultureInfo.InvariantCulture, $"(@s{i}c, @s{i}p, @s{i}k, @s{i}e, @s{i}v, @s{i}h, @at)")));

    /// <summary>Binds seals <paramref name="first"/> to <paramref name="first"/> + <paramref name="count"/> to a kept statement of <see cref="SealRows"/>, by position (its parameters are made once).</summary>
    private static void Bind(DbCommand insert, IReadOnlyList<ChainSeal> seals, int first, int count, long at)
    {
        if (insert.Parameters.Count == 0)
        {
            for (var i = 0; i < count; i++)
            {
                foreach (var column in "cpkevh")
                {
                    insert.Param(string.Create(CultureInfo.InvariantCulture, $"@s{i}{column}"), (object?)null);
                }
            }

            insert.Param("@at", at);
        }

        var parameters = insert.Parameters;
        for (var i = 0; i < count; i++)
        {
            var seal = seals[first + i];
            parameters[(i * 6) + 0].Value = seal.Chain;
            parameters[(i * 6) + 1].Value = seal.Position;
            parameters[(i * 6) + 2].Value = seal.Kind;
            parameters[(i * 6) + 3].Value = seal.EntryId;
            parameters[(i * 6) + 4].Value = seal.PreviousHash;
            parameters[(i * 6) + 5].Value = seal.Hash;
        }

        parameters[count * 6].Value = at;
    }
}
