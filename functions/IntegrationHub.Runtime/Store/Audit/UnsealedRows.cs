using IntegrationHub.Core.Audit;

namespace IntegrationHub.Runtime.Store.Audit;

/// <summary>
/// What the sealer has read of a chain's sources and not sealed yet, taken in the chain's order. Rows
/// read but not taken by one batch stay here for the next, so that a backlog is read once: a source is
/// read again only when what was read of it is used up.
/// </summary>
internal sealed class UnsealedRows(List<AuditSource> sources)
{
    private readonly Dictionary<AuditSource, Queue<(long Sequence, AuditEntry Entry)>> read = sources.ToDictionary(s => s, _ => new Queue<(long, AuditEntry)>());
    private readonly HashSet<AuditSource> exhausted = [];

    /// <summary>Whether every source has been read to its end and all of it taken.</summary>
    public bool Complete => sources.All(s => exhausted.Contains(s) && read[s].Count == 0);

    /// <summary>The sources whose rows read so far are used up and that may have more.</summary>
    public IEnumerable<AuditSource> ToRead => sources.Where(s => read[s].Count == 0 && !exhausted.Contains(s));

    /// <summary>Rows read from <paramref name="source"/>, in the order written; fewer than <paramref name="max"/> means it has no more.</summary>
    public void Add(AuditSource source, List<(long Sequence, AuditEntry Entry)> rows, int max)
    {
        rows.ForEach(read[source].Enqueue);
        if (rows.Count < max)
        {
            exhausted.Add(source);
        }
    }

    /// <summary>The last row read from <paramref name="source"/>, or <paramref name="otherwise"/>.</summary>
    public long LastRead(AuditSource source, long otherwise) => read[source].Count > 0 ? read[source].Last().Sequence : otherwise;

    /// <summary>
    /// Takes at most <paramref name="max"/> rows in one order: by time, a source's rows in the order
    /// they were written. It stops where a source that may have more has nothing read left, since its
    /// next row could come first.
    /// </summary>
    public List<(AuditSource Source, long Sequence, AuditEntry Entry)> Take(int max)
    {
        var taken = new List<(AuditSource, long, AuditEntry)>(Math.Min(max, read.Values.Sum(q => q.Count)));
        while (taken.Count < max)
        {
            AuditSource? pick = null;
            var pickAt = 0L;
            foreach (var source in sources)
            {
                if (read[source].Count == 0)
                {
                    if (!exhausted.Contains(source))
                    {
                        return taken;
                    }

                    continue;
                }

                var at = read[source].Peek().Entry["at"]?.Number ?? 0;
                if (pick is null || at < pickAt)
                {
                    (pick, pickAt) = (source, at);
                }
            }

            if (pick is null)
            {
                break;
            }

            var (sequence, entry) = read[pick].Dequeue();
            taken.Add((pick, sequence, entry));
        }

        return taken;
    }
}
