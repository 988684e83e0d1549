using IntegrationHub.Schemas;

namespace IntegrationHub.Core.Audit;

/// <summary>A seal with the entry it covers, as the entry is now (null when it is no longer there).</summary>
/// <param name="Seal">The seal.</param>
/// <param name="Entry">The entry's chained fields read from its table, or null.</param>
public sealed record SealedEntry(ChainSeal Seal, AuditEntry? Entry);

/// <summary>What the verifier reads from a store, read-only.</summary>
public interface IAuditChainReader
{
    /// <summary>A chain's seals from <paramref name="fromPosition"/> on, in position order, each with its entry.</summary>
    IAsyncEnumerable<SealedEntry> ReadAsync(string chain, long fromPosition, CancellationToken cancellationToken);

    /// <summary>Each chain's head as sealed: its last position and hash (an empty chain's is 0 and zeros).</summary>
    Task<IReadOnlyList<AuditChainHead>> HeadsAsync(CancellationToken cancellationToken);

    /// <summary>The signed checkpoints in the store, by number.</summary>
    Task<IReadOnlyList<AuditCheckpoint>> CheckpointsAsync(CancellationToken cancellationToken);

    /// <summary>The signed retention records in the store, oldest first.</summary>
    Task<IReadOnlyList<AuditRetention>> RetentionsAsync(CancellationToken cancellationToken);

    /// <summary>How many entries of a chain are written but not sealed yet.</summary>
    Task<long> UnsealedAsync(string chain, CancellationToken cancellationToken);
}
