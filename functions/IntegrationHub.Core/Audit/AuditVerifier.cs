using System.Globalization;
using IntegrationHub.Schemas;

namespace IntegrationHub.Core.Audit;

/// <summary>What to verify besides the store: where to start, and an auditor's exported checkpoints.</summary>
public sealed record AuditVerificationRequest
{
    /// <summary>Start every chain at this checkpoint (its signature must hold) instead of the beginning.</summary>
    public long? From { get; init; }

    /// <summary>Checkpoints exported earlier and kept outside the hub; each must still hold.</summary>
    public IReadOnlyList<AuditCheckpoint> Exported { get; init; } = [];
}

/// <summary>The checkpoint to start at is not in the store, or its signature does not hold.</summary>
public sealed class CheckpointNotFoundException(string message) : Exception(message);

/// <summary>
/// Recomputes every chain from its entries, checks each checkpoint's signature against the trusted
/// keys and each chain against every checkpoint (the store's and the auditor's exported ones), and
/// names each place that does not hold. It trusts nothing the store says about itself: a seal's hash
/// is checked against its entry, its link against the entry before, a chain's head against signatures.
/// </summary>
public sealed partial class AuditVerifier(AuditKeySet keys, TimeProvider time)
{
    /// <summary>At most this many places are listed (the summary still says the first).</summary>
    public const int MaxFindings = 1000;

    private const string CheckpointsLog = "checkpoints";
    private const string ExportedLog = "exported checkpoints";
    private const string RetentionLog = "retention";

    /// <summary>Verifies the chains <paramref name="reader"/> reads.</summary>
    /// <exception cref="CheckpointNotFoundException"><see cref="AuditVerificationRequest.From"/> names no checkpoint with a valid signature.</exception>
    public async Task<AuditVerificationReport> VerifyAsync(IAuditChainReader reader, AuditVerificationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(request);
        var findings = new Findings();
        var stored = (await reader.CheckpointsAsync(cancellationToken)).OrderBy(c => c.Number).ToList();
        var trusted = CheckStored(stored, findings);
        var exported = CheckExported(request.Exported, stored, findings);
        var anchors = trusted.Select(c => (c, exported: false)).Concat(exported.Select(c => (c, exported: true))).ToList();

        var retained = await RetainedThroughAsync(reader, trusted, findings, cancellationToken);
        var start = StartOf(request.From, trusted);
        if (retained is not null && (start is null || start.Number < retained.Number))
        {
            start = retained;
        }

        var chains = new List<(AuditChainReport Report, long FirstBad)>();
        foreach (var chain in AuditChains.All)
        {
            var walk = new ChainWalk(chain, start?.Chains.FirstOrDefault(h => h.Chain == chain), Anchors(chain, anchors), findings);
            await foreach (var sealedEntry in reader.ReadAsync(chain, walk.NextPosition, cancellationToken))
            {
                walk.Step(sealedEntry);
            }

            walk.End();
            var lastCheckpointed = trusted.Select(c => c.Chains.FirstOrDefault(h => h.Chain == chain)?.Count ?? 0).Where(n => n <= walk.Length).DefaultIfEmpty(0).Max();
            chains.Add((new AuditChainReport
            {
                Chain = chain, Log = AuditChains.LogOf(chain), FirstPosition = walk.FirstPosition, Entries = walk.Checked, Length = walk.Length,
                AfterLastCheckpoint = walk.Length - Math.Max(lastCheckpointed, walk.FirstPosition - 1),
                Unsealed = await reader.UnsealedAsync(chain, cancellationToken),
            }, walk.FirstBad));
        }

        var through = IntactThrough(anchors.Select(a => a.c), chains.ToDictionary(c => c.Report.Chain, c => c.FirstBad), start, findings);
        var list = findings.Ordered();
        var report = new AuditVerificationReport
        {
            Intact = list.Count == 0,
            Summary = "",
            VerifiedAt = VietnamTime.ToLocal(time.GetUtcNow()),
            Entries = chains.Sum(c => c.Report.Entries),
            Chains = [.. chains.Select(c => c.Report)],
            IntactThrough = through is null ? null : Describe(through),
            LastCheckpoint = trusted.Count == 0 ? null : Describe(trusted[^1]),
            StartedAt = start is null || start == retained ? null : start.Number,
            RetainedThrough = retained is null ? null : Describe(retained),
            ExportedCheckpoints = request.Exported.Count,
            Checkpoints = stored.Count,
            Findings = list,
        };
        return report with { Summary = Summarise(report, findings.Total) };
    }

    private List<AuditCheckpoint> CheckStored(List<AuditCheckpoint> stored, Findings findings)
    {
        var trusted = new List<AuditCheckpoint>();
        var expected = 1L;
        foreach (var checkpoint in stored)
        {
            if (checkpoint.Number > expected)
            {
                var missing = expected == checkpoint.Number - 1 ? $"checkpoint {expected}" : $"checkpoints {expected} to {checkpoint.Number - 1}";
                findings.Add(new AuditFinding
                {
                    Log = CheckpointsLog, Position = expected, Problem = AuditProblem.CheckpointMissing, Checkpoint = expected,
                    Expected = $"checkpoint {expected}", Found = $"checkpoint {checkpoint.Number} next",
                    Message = $"The store has no {missing}: checkpoints were removed.",
                });
            }

            expected = checkpoint.Number + 1;
            if (CheckSignature(checkpoint, CheckpointsLog, findings))
            {
                trusted.Add(checkpoint);
            }
        }

        return trusted;
    }

    private List<AuditCheckpoint> CheckExported(IReadOnlyList<AuditCheckpoint> exported, List<AuditCheckpoint> stored, Findings findings)
    {
        var byNumber = stored.GroupBy(c => c.Number).ToDictionary(g => g.Key, g => g.First());
        var trusted = new List<AuditCheckpoint>();
        foreach (var checkpoint in exported.OrderBy(c => c.Number))
        {
            if (!CheckSignature(checkpoint, ExportedLog, findings))
            {
                continue;
            }

            trusted.Add(checkpoint);
            if (!byNumber.TryGetValue(checkpoint.Number, out var inStore))
            {
                findings.Add(new AuditFinding
                {
                    Log = ExportedLog, Position = checkpoint.Number, Problem = AuditProblem.CheckpointMissing, Checkpoint = checkpoint.Number,
                    Expected = $"checkpoint {checkpoint.Number} in the store, as exported: {Heads(checkpoint)}", Found = "no such checkpoint in the store",
                    Message = $"Exported checkpoint {checkpoint.Number} ({Time(checkpoint.At)}) is no longer in the store.",
                });
            }
            else if (!SameStatement(checkpoint, inStore))
            {
                findings.Add(new AuditFinding
                {
                    Log = ExportedLog, Position = checkpoint.Number, Problem = AuditProblem.CheckpointDiffers, Checkpoint = checkpoint.Number,
                    Expected = $"{Heads(checkpoint)}, signed {Time(checkpoint.At)} by {checkpoint.KeyId}", Found = $"{Heads(inStore)}, signed {Time(inStore.At)} by {inStore.KeyId}",
                    Message = $"The store's checkpoint {checkpoint.Number} is not the one exported: it was signed again.",
                });
            }
        }

        return trusted;
    }

    private bool CheckSignature(AuditCheckpoint checkpoint, string log, Findings findings)
    {
        var check = keys.Verify(checkpoint);
        if (check == SignatureCheck.Valid)
        {
            return true;
        }

        var known = string.Join(", ", keys.Keys.Select(k => k.KeyId));
        findings.Add(check == SignatureCheck.UnknownKey
            ? new AuditFinding
            {
                Log = log, Position = checkpoint.Number, Problem = AuditProblem.UnknownKey, Checkpoint = checkpoint.Number,
                Expected = $"a signature by a published audit key ({known})", Found = $"a signature by key {checkpoint.KeyId}",
                Message = $"Checkpoint {checkpoint.Number} is signed by key {checkpoint.KeyId}, which is not a published audit key.",
            }
            : new AuditFinding
            {
                Log = log, Position = checkpoint.Number, Problem = AuditProblem.SignatureInvalid, Checkpoint = checkpoint.Number,
                Expected = $"a signature by key {checkpoint.KeyId} over {Heads(checkpoint)} at {Time(checkpoint.At)}", Found = "a signature that does not hold",
                Message = $"Checkpoint {checkpoint.Number}'s signature does not hold with key {checkpoint.KeyId}: what it says is not what was signed.",
            });
        return false;
    }

    /// <summary>The checkpoint the newest valid retention record deleted through: the chains start after it.</summary>
    private async Task<AuditCheckpoint?> RetainedThroughAsync(IAuditChainReader reader, List<AuditCheckpoint> trusted, Findings findings, CancellationToken cancellationToken)
    {
        AuditRetention? newest = null;
        foreach (var retention in await reader.RetentionsAsync(cancellationToken))
        {
            var check = keys.Verify(retention);
            if (check == SignatureCheck.Valid)
            {
                newest = newest is null || retention.ThroughCheckpoint > newest.ThroughCheckpoint ? retention : newest;
                continue;
            }

            findings.Add(new AuditFinding
            {
                Log = RetentionLog, Position = retention.ThroughCheckpoint, Checkpoint = retention.ThroughCheckpoint,
                Problem = check == SignatureCheck.UnknownKey ? AuditProblem.UnknownKey : AuditProblem.SignatureInvalid,
                Expected = $"a signature by a published audit key over a retention through checkpoint {retention.ThroughCheckpoint} at {Time(retention.At)}",
                Found = check == SignatureCheck.UnknownKey ? $"a signature by key {retention.KeyId}" : "a signature that does not hold",
                Message = $"The record of a retention through checkpoint {retention.ThroughCheckpoint} is not signed by the hub: entries it would explain were deleted otherwise.",
            });
        }

        if (newest is null)
        {
            return null;
        }

        var checkpoint = trusted.FirstOrDefault(c => c.Number == newest.ThroughCheckpoint);
        if (checkpoint is null)
        {
            findings.Add(new AuditFinding
            {
                Log = RetentionLog, Position = newest.ThroughCheckpoint, Checkpoint = newest.ThroughCheckpoint, Problem = AuditProblem.CheckpointMissing,
                Expected = $"checkpoint {newest.ThroughCheckpoint}, kept by the retention of {Time(newest.At)}", Found = "no such checkpoint whose signature holds",
                Message = $"Retention deleted through checkpoint {newest.ThroughCheckpoint}, which the store no longer has: what remains cannot be tied to it.",
            });
        }

        return checkpoint;
    }

    private static AuditCheckpoint? StartOf(long? from, List<AuditCheckpoint> trusted)
    {
        if (from is not { } number)
        {
            return null;
        }

        return trusted.FirstOrDefault(c => c.Number == number)
            ?? throw new CheckpointNotFoundException($"There is no checkpoint {number} whose signature holds in the store; start from one of {(trusted.Count == 0 ? "none (no checkpoint yet)" : $"1 to {trusted[^1].Number}")}.");
    }

    private static List<Anchor> Anchors(string chain, IEnumerable<(AuditCheckpoint Checkpoint, bool Exported)> checkpoints) =>
        [.. checkpoints
            .SelectMany(a => a.Checkpoint.Chains.Where(h => h.Chain == chain).Select(h => new Anchor(h.Count, h.LastHash, a.Checkpoint.Number, a.Exported)))
            .OrderBy(a => a.Count).ThenBy(a => a.Checkpoint)];

    private static AuditCheckpoint? IntactThrough(IEnumerable<AuditCheckpoint> checkpoints, Dictionary<string, long> firstBad, AuditCheckpoint? start, Findings findings) =>
        checkpoints
            .Where(c => !findings.Concerns(c.Number) && (start is null || c.Number >= start.Number))
            .Where(c => AuditChains.All.All(chain => c.Chains.FirstOrDefault(h => h.Chain == chain) is { } head && head.Count < firstBad[chain]))
            .MaxBy(c => c.Number);

    private static bool SameStatement(AuditCheckpoint a, AuditCheckpoint b) =>
        a.At == b.At && a.KeyId == b.KeyId && a.Signature == b.Signature && a.Chains.Count == b.Chains.Count
        && a.Chains.OrderBy(h => h.Chain, StringComparer.Ordinal).SequenceEqual(b.Chains.OrderBy(h => h.Chain, StringComparer.Ordinal));

    private static AuditCheckpointReport Describe(AuditCheckpoint checkpoint) => new() { Number = checkpoint.Number, At = VietnamTime.ToLocal(checkpoint.At), KeyId = checkpoint.KeyId };

    private static string Heads(AuditCheckpoint checkpoint) =>
        string.Join("; ", checkpoint.Chains.Select(h => $"{h.Chain} {h.Count} entries ending {h.LastHash}"));

    internal static string Time(DateTimeOffset at) => VietnamTime.ToLocal(at).ToString("dd/MM/yyyy HH:mm:ss zzz", CultureInfo.InvariantCulture);

    private static string Summarise(AuditVerificationReport report, int total)
    {
        var chains = report.Chains.Count;
        if (!report.Intact)
        {
            var more = total > 1 ? $" ({total} places do not hold{(total > MaxFindings ? $"; the first {MaxFindings} are listed" : "")})" : "";
            return $"NOT INTACT: {report.Findings[0].Message}{more}";
        }

        var after = report.Chains.Sum(c => c.AfterLastCheckpoint);
        var unsealed = report.Chains.Sum(c => c.Unsealed);
        var head = report.IntactThrough is { } through
            ? $"{report.Entries} entries in {chains} chains, intact up to checkpoint {through.Number} of {Time(through.At)}"
            : $"{report.Entries} entries in {chains} chains, intact; no checkpoint signed yet";
        var from = report.StartedAt is { } started ? $" (verified from checkpoint {started})" : "";
        from += report.RetainedThrough is { } retained ? $" (entries up to checkpoint {retained.Number} of {Time(retained.At)} removed by retention)" : "";
        return $"{head}{from}; {after} entries after it, chained but not yet checkpointed; {unsealed} not yet sealed.";
    }
}
