using IntegrationHub.Schemas;

namespace IntegrationHub.Core.Audit;

/// <summary>
/// One entry's place in its chain, as the sealer wrote it: position, the entry it covers (kind and
/// key), the hash of the entry before it and its own hash.
/// </summary>
/// <param name="Chain">The chain.</param>
/// <param name="Position">The position, from 1.</param>
/// <param name="Kind">The entry's kind.</param>
/// <param name="EntryId">The entry's key in its table.</param>
/// <param name="PreviousHash">The hash of the entry at the position before (zeros at position 1).</param>
/// <param name="Hash">The hash of the entry's canonical form at this position after <paramref name="PreviousHash"/>.</param>
public sealed record ChainSeal(string Chain, long Position, string Kind, string EntryId, string PreviousHash, string Hash);

/// <summary>Gives entries their places in a chain, in the order given.</summary>
public static class ChainSealing
{
    /// <summary>The head of a chain with no entries.</summary>
    public static AuditChainHead Empty(string chain) => new() { Chain = chain, Count = 0, LastHash = CanonicalForm.ZeroHash };

    /// <summary>
    /// Seals <paramref name="entries"/> after <paramref name="head"/>, one position each, in order,
    /// and returns their seals and the chain's new head.
    /// </summary>
    /// <exception cref="ArgumentException">An entry belongs to another chain.</exception>
    public static (IReadOnlyList<ChainSeal> Seals, AuditChainHead Head) Seal(AuditChainHead head, IEnumerable<AuditEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(head);
        ArgumentNullException.ThrowIfNull(entries);
        var seals = new List<ChainSeal>();
        var position = head.Count;
        var previous = head.LastHash;
        foreach (var entry in entries)
        {
            if (AuditEntries.ChainOf(entry.Kind) != head.Chain)
            {
                throw new ArgumentException($"A {entry.Kind} entry does not belong to the {head.Chain} chain.", nameof(entries));
            }

            position++;
            var hash = CanonicalForm.EntryHash(head.Chain, position, previous, entry);
            seals.Add(new ChainSeal(head.Chain, position, entry.Kind, entry.EntryId, previous, hash));
            previous = hash;
        }

        return (seals, head with { Count = position, LastHash = previous });
    }
}
