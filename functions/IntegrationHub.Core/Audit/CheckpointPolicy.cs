using IntegrationHub.Schemas;

namespace IntegrationHub.Core.Audit;

/// <summary>
/// When the sealer signs a checkpoint: at once when there is none yet (the first one seals what
/// was written before chaining began), and then when a chain has changed and either
/// <paramref name="Interval"/> has passed since the last one or a chain has grown by
/// <paramref name="EveryEntries"/>. A checkpoint is never signed for chains that did not change.
/// </summary>
/// <param name="Interval">The longest time a changed chain waits for its checkpoint.</param>
/// <param name="EveryEntries">The most entries a chain gains before a checkpoint, whatever the time.</param>
public sealed record CheckpointPolicy(TimeSpan Interval, long EveryEntries)
{
    /// <summary>Whether a checkpoint is due for <paramref name="heads"/> at <paramref name="now"/>, after <paramref name="last"/>.</summary>
    public bool IsDue(AuditCheckpoint? last, IReadOnlyCollection<AuditChainHead> heads, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(heads);
        if (last is null)
        {
            return true;
        }

        var grown = heads.Select(h => h.Count - (last.Chains.FirstOrDefault(l => l.Chain == h.Chain)?.Count ?? 0)).DefaultIfEmpty(0).Max();
        var changed = heads.Any(h => last.Chains.FirstOrDefault(l => l.Chain == h.Chain) is not { } before || before.Count != h.Count || before.LastHash != h.LastHash);
        return changed && (now - last.At >= Interval || grown >= EveryEntries);
    }
}
