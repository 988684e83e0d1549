using IntegrationHub.Core.Audit;

namespace IntegrationHub.Runtime.Store.Audit;

/// <summary>What the sealer found unsealed in a chain's sources, taken in the chain's order.</summary>
internal static class UnsealedRows
{
    /// <summary>
    /// The unsealed rows of a chain's sources in one order: by time, a source's rows in the order they
    /// were written (so that what is taken of each source is a prefix of what it had), at most <paramref name="max"/>.
    /// </summary>
    public static List<(AuditSource Source, long Sequence, AuditEntry Entry)> Merge(
        Dictionary<AuditSource, List<(long Sequence, AuditEntry Entry)>> found, List<AuditSource> sources, int max)
    {
        if (sources.Count == 1)
        {
            return [.. found[sources[0]].Take(max).Select(f => (sources[0], f.Sequence, f.Entry))];
        }

        var next = sources.ToDictionary(s => s, _ => 0);
        var merged = new List<(AuditSource, long, AuditEntry)>();
        while (merged.Count < max)
        {
            var pick = sources.Where(s => next[s] < found[s].Count)
                .OrderBy(s => found[s][next[s]].Entry["at"]?.Number ?? 0).ThenBy(sources.IndexOf).FirstOrDefault();
            if (pick is null)
            {
                break;
            }

            var (sequence, entry) = found[pick][next[pick]++];
            merged.Add((pick, sequence, entry));
        }

        return merged;
    }
}
