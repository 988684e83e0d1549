using System.Data.Common;
using IntegrationHub.Core.Audit;
using IntegrationHub.Schemas;

namespace IntegrationHub.Runtime.Store.Audit;

/// <summary>The reads the sealer, the status and the verifier share, on a connection (and transaction) the caller holds.</summary>
internal static class AuditQueries
{
    public static async Task<AuditChainHead> HeadAsync(DbConnection connection, DbTransaction? transaction, string chain, CancellationToken cancellationToken)
    {
        await using var select = In(connection.Command("SELECT position, hash FROM hub_audit_seals WHERE chain = @chain ORDER BY position DESC LIMIT 1"), transaction)
            .Param("@chain", chain);
        var rows = await select.ReadListAsync(r => new AuditChainHead { Chain = chain, Count = r.Int64("position"), LastHash = r.Text("hash") }, cancellationToken);
        return rows.Count == 0 ? ChainSealing.Empty(chain) : rows[0];
    }

    public static async Task<IReadOnlyList<AuditChainHead>> HeadsAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        var heads = new List<AuditChainHead>();
        foreach (var chain in AuditChains.All)
        {
            heads.Add(await HeadAsync(connection, transaction, chain, cancellationToken));
        }

        return heads;
    }

    /// <summary>Checkpoints with their heads, by number; <paramref name="newestOnly"/> for the last one alone.</summary>
    public static async Task<IReadOnlyList<AuditCheckpoint>> CheckpointsAsync(DbConnection connection, DbTransaction? transaction, bool newestOnly, CancellationToken cancellationToken)
    {
        var which = newestOnly ? "WHERE c.number = (SELECT MAX(number) FROM hub_audit_checkpoints)" : "";
        await using var select = In(connection.Command($"""
            SELECT c.number, c.at, c.key_id, c.signature, h.chain, h.entry_count, h.last_hash
            FROM hub_audit_checkpoints c LEFT JOIN hub_audit_checkpoint_heads h ON h.number = c.number
            {which}
            ORDER BY c.number, h.chain
            """), transaction);
        var rows = await select.ReadListAsync(
            r => (Number: r.Int64("number"), At: r.Time("at"), KeyId: r.Text("key_id"), Signature: r.Text("signature"),
                Head: r.TextOrNull("chain") is { } chain ? new AuditChainHead { Chain = chain, Count = r.Int64("entry_count"), LastHash = r.Text("last_hash") } : null),
            cancellationToken);
        return [.. rows.GroupBy(r => r.Number).Select(g => new AuditCheckpoint
        {
            Number = g.Key, At = g.First().At, KeyId = g.First().KeyId, Signature = g.First().Signature,
            Chains = [.. g.Where(r => r.Head is not null).Select(r => r.Head!)],
        })];
    }

    public static async Task<IReadOnlyList<AuditRetention>> RetentionsAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var select = In(connection.Command("SELECT through_checkpoint, at, key_id, signature FROM hub_audit_retentions ORDER BY through_checkpoint"), transaction);
        return await select.ReadListAsync(r => new AuditRetention(r.Int64("through_checkpoint"), r.Time("at"), r.Text("key_id"), r.Text("signature")), cancellationToken);
    }

    /// <summary>
    /// Entries of a chain with no seal, above the sealer's floor (below it every entry is sealed, or
    /// its seal's absence is the verifier's finding, not a wait).
    /// </summary>
    public static async Task<long> UnsealedAsync(DbConnection connection, DbTransaction? transaction, SqlDialect dialect, string chain, CancellationToken cancellationToken)
    {
        var total = 0L;
        foreach (var source in AuditSource.Of(chain))
        {
            var sequence = source.Sequence(dialect);
            await using var count = In(connection.Command($"""
                SELECT COUNT(*) FROM {source.Table} t
                WHERE t.{sequence} > COALESCE((SELECT floor FROM hub_audit_sealer WHERE source = @kind), 0)
                  AND NOT EXISTS (SELECT 1 FROM hub_audit_seals s WHERE s.kind = @kind AND s.entry_id = CAST(t.{source.Key} AS TEXT))
                """), transaction).Param("@kind", source.Kind);
            total += await count.ReadInt64Async(cancellationToken);
        }

        return total;
    }

    public static DbCommand In(DbCommand command, DbTransaction? transaction)
    {
        command.Transaction = transaction;
        return command;
    }
}
