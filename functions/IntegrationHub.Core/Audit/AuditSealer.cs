using IntegrationHub.Schemas;

namespace IntegrationHub.Core.Audit;

/// <summary>What one pass of the sealer did.</summary>
/// <param name="Sealed">Entries given their places.</param>
/// <param name="Checkpoint">The checkpoint it signed, if one was due.</param>
public readonly record struct SealingPass(int Sealed, AuditCheckpoint? Checkpoint);

/// <summary>
/// One pass of the sealer: every chain's unsealed entries sealed, batch by batch, until none is left
/// (so the first pass after chaining begins seals everything written before), then a checkpoint
/// signed when the policy says one is due. Run by one hub instance at a time.
/// </summary>
public sealed class AuditSealer(IAuditStore store, AuditSigningKey key, CheckpointPolicy policy, TimeProvider time)
{
    /// <summary>Entries sealed in one unit of work.</summary>
    public int BatchSize { get; init; } = 500;

    /// <summary>Seals what is waiting and signs a checkpoint when one is due.</summary>
    public async Task<SealingPass> RunAsync(CancellationToken cancellationToken)
    {
        var total = 0;
        foreach (var chain in AuditChains.All)
        {
            total += await store.SealAsync(chain, BatchSize, time.GetUtcNow(), cancellationToken);
        }

        var heads = await store.HeadsAsync(cancellationToken);
        var last = await store.LastCheckpointAsync(cancellationToken);
        var now = time.GetUtcNow();
        if (!policy.IsDue(last, heads, now))
        {
            return new SealingPass(total, null);
        }

        var checkpoint = key.Sign((last?.Number ?? 0) + 1, VietnamTime.ToLocal(now), heads);
        return new SealingPass(total, await store.TryAddCheckpointAsync(checkpoint, cancellationToken) ? checkpoint : null);
    }
}
