using System.Globalization;
using IntegrationHub.Schemas;

namespace IntegrationHub.Core.Audit;

/// <summary>What <see cref="AuditVerifier"/> walks and records: a chain's anchors, the places found, one chain's walk.</summary>
public sealed partial class AuditVerifier
{
    private sealed record Anchor(long Count, string Hash, long Checkpoint, bool Exported);

    /// <summary>The places found so far, in the order they were found, at most <see cref="MaxFindings"/> kept.</summary>
    private sealed class Findings
    {
        private readonly List<AuditFinding> kept = [];

        public int Total { get; private set; }

        public void Add(AuditFinding finding)
        {
            Total++;
            if (kept.Count < MaxFindings)
            {
                kept.Add(finding);
            }
        }

        public bool Concerns(long checkpoint) => kept.Any(f => f.Checkpoint == checkpoint && f.Chain is null);

        /// <summary>Each chain's places by position, chains in their order, then the checkpoints' own.</summary>
        public List<AuditFinding> Ordered() =>
        [
            .. kept.Where(f => f.Chain is not null).OrderBy(f => AuditChains.All.ToList().IndexOf(f.Chain!)).ThenBy(f => f.Position),
            .. kept.Where(f => f.Chain is null),
        ];
    }

    /// <summary>One chain read in position order, each seal checked against its entry, the one before it and the checkpoints.</summary>
    private sealed class ChainWalk
    {
        private readonly string chain;
        private readonly string log;
        private readonly List<Anchor> anchors;
        private readonly Findings findings;
        private string running;
        private long position;
        private long verified;
        private bool started;

        public ChainWalk(string chain, AuditChainHead? start, List<Anchor> anchors, Findings findings)
        {
            this.chain = chain;
            log = AuditChains.LogOf(chain);
            this.anchors = anchors;
            this.findings = findings;
            running = start?.LastHash ?? CanonicalForm.ZeroHash;
            position = (start?.Count ?? 0) + 1;
            verified = position - 1;
            FirstPosition = position;
            NextPosition = position;
        }

        public long NextPosition { get; }

        public long FirstPosition { get; private set; }

        public long Checked { get; private set; }

        public long Length => position - 1;

        public long FirstBad { get; private set; } = long.MaxValue;

        public void Step(SealedEntry sealedEntry)
        {
            var seal = sealedEntry.Seal;
            if (!started)
            {
                Begin();
            }

            var gap = seal.Position != position;
            if (gap)
            {
                Add(position, AuditProblem.PositionMissing, $"position {position}", $"position {seal.Position} next",
                    $"{Place(position)}: {(seal.Position - position == 1 ? "the entry is" : $"{seal.Position - position} entries ({position} to {seal.Position - 1}) are")} missing from the chain.");
                position = seal.Position;
            }

            // After a gap the hash before is unknown: the missing positions are the finding, not the link.
            if (!gap && seal.PreviousHash != running)
            {
                Add(position, AuditProblem.LinkBroken, running, seal.PreviousHash,
                    $"{Place(position)}: the entry does not follow the one before it (its previous hash is not that entry's hash).");
            }

            if (sealedEntry.Entry is not { } entry)
            {
                Add(position, AuditProblem.EntryMissing, $"{seal.Kind} {seal.EntryId}", "no such entry",
                    $"{Place(position)}: the sealed entry {seal.Kind} {seal.EntryId} is no longer in the log.");
            }
            else
            {
                var found = CanonicalForm.EntryHash(chain, position, seal.PreviousHash, entry);
                if (found != seal.Hash)
                {
                    Add(position, AuditProblem.EntryAltered, seal.Hash, found,
                        $"{Place(position)}: the entry {seal.Kind} {seal.EntryId} is not what was sealed (its hash differs).");
                }
            }

            running = seal.Hash;
            Checked++;
            CheckAnchorsAt(position);
            position++;
        }

        public void End()
        {
            if (!started)
            {
                Begin();
            }

            var beyond = anchors.Where(a => a.Count > Length).OrderByDescending(a => a.Count).ThenByDescending(a => a.Exported).FirstOrDefault();
            if (beyond is not null)
            {
                var source = beyond.Exported ? "exported checkpoint" : "checkpoint";
                Add(Length + 1, AuditProblem.ChainShort, $"{beyond.Count} entries ({source} {beyond.Checkpoint})", $"{Length} entries",
                    $"{Place(Length + 1)}: the chain ends at {Length} entries, but {source} {beyond.Checkpoint} covers {beyond.Count}; its tail was cut off.", beyond.Checkpoint);
            }
        }

        private void Begin()
        {
            started = true;
            CheckAnchorsAt(position - 1);
        }

        private void CheckAnchorsAt(long count)
        {
            var mismatched = false;
            foreach (var anchor in anchors.Where(a => a.Count == count && a.Hash != running))
            {
                var source = anchor.Exported ? "exported checkpoint" : "checkpoint";
                var range = verified + 1 == count ? $"the entry at position {count} was" : $"entries between positions {verified + 1} and {count} were";
                Add(count, AuditProblem.CheckpointMismatch, anchor.Hash, running,
                    $"{Place(count)}: the chain's hash here is not the one {source} {anchor.Checkpoint} signed; {range} rewritten and chained again.", anchor.Checkpoint);
                mismatched = true;
            }

            if (!mismatched && anchors.Any(a => a.Count == count))
            {
                verified = count;
            }
        }

        private string Place(long at) => $"{log}, chain {chain}, position {at}";

        private void Add(long at, AuditProblem problem, string expected, string found, string message, long? checkpoint = null)
        {
            FirstBad = Math.Min(FirstBad, at);
            findings.Add(new AuditFinding { Log = log, Chain = chain, Position = at, Problem = problem, Expected = expected, Found = found, Message = message, Checkpoint = checkpoint });
        }
    }
}
