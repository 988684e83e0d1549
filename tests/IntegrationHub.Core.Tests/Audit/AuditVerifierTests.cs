using IntegrationHub.Core.Audit;
using IntegrationHub.Schemas;

namespace IntegrationHub.Core.Tests.Audit;

[Trait("Category", "Unit")]
public sealed class AuditVerifierTests : IDisposable
{
    private readonly AuditTrail trail = new();

    /// <summary>Three logs written, sealed and signed twice: 10 + 4 timeline steps, 3 lookups with their outcomes, 5 operator actions.</summary>
    private AuditTrail Written()
    {
        trail.Timeline(10).Lookups(3).Operator(5).Seal();
        trail.Checkpoint();
        trail.Timeline(4).Seal();
        trail.Checkpoint();
        return trail;
    }

    [Fact]
    public async Task Verify_Untouched_SaysIntactUpToTheLastCheckpoint()
    {
        Written().Timeline(2).Seal().Operator(1);

        var report = await VerifyAsync();

        Assert.True(report.Intact);
        Assert.Empty(report.Findings);
        Assert.Equal(27, report.Entries);
        Assert.Equal(2, report.IntactThrough?.Number);
        Assert.StartsWith("27 entries in 3 chains, intact up to checkpoint 2 of ", report.Summary, StringComparison.Ordinal);
        Assert.EndsWith("2 entries after it, chained but not yet checkpointed; 1 not yet sealed.", report.Summary, StringComparison.Ordinal);
        Assert.Equal([(AuditChains.Identity, 6L, 0L), (AuditChains.Operator, 5L, 1L), (AuditChains.Timeline, 16L, 0L)], report.Chains.Select(c => (c.Chain, c.Length, c.Unsealed)));
    }

    [Fact]
    public async Task Verify_NothingWrittenYet_IsIntactWithoutACheckpoint()
    {
        var report = await VerifyAsync();

        Assert.True(report.Intact);
        Assert.Equal("0 entries in 3 chains, intact; no checkpoint signed yet; 0 entries after it, chained but not yet checkpointed; 0 not yet sealed.", report.Summary);
    }

    [Fact]
    public async Task Verify_TimelineFieldEdited_NamesThePositionAndBothHashes()
    {
        Written().Edit(AuditChains.Timeline, 7, "actor", AuditValue.Of("Lê Văn Cường"));
        var sealedHash = trail.SealAt(AuditChains.Timeline, 7).Hash;

        var report = await VerifyAsync();

        var finding = Assert.Single(report.Findings);
        Assert.Equal(("dossier timelines", AuditChains.Timeline, 7L, AuditProblem.EntryAltered), (finding.Log, finding.Chain, finding.Position, finding.Problem));
        Assert.Equal(sealedHash, finding.Expected);
        Assert.Equal(CanonicalForm.EntryHash(AuditChains.Timeline, 7, trail.SealAt(AuditChains.Timeline, 6).Hash, trail.EntryAt(AuditChains.Timeline, 7)), finding.Found);
        Assert.StartsWith("NOT INTACT: dossier timelines, chain timeline, position 7: the entry timeline.step ", report.Summary, StringComparison.Ordinal);
        Assert.Null(report.IntactThrough);
    }

    [Fact]
    public async Task Verify_LookupOutcomeEdited_NamesTheOutcomeEntry()
    {
        Written().Edit(AuditChains.Identity, 4, "outcome", AuditValue.Of("notFound"));

        var report = await VerifyAsync();

        var finding = Assert.Single(report.Findings);
        Assert.Equal(("identity-lookup log", 4L, AuditProblem.EntryAltered), (finding.Log, finding.Position, finding.Problem));
        Assert.Contains("identity.outcome", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_OperatorRowDeleted_NamesTheMissingEntry()
    {
        Written().DeleteEntry(AuditChains.Operator, 3);
        var seal = trail.SealAt(AuditChains.Operator, 3);

        var report = await VerifyAsync();

        var finding = Assert.Single(report.Findings);
        Assert.Equal(("operator audit log", AuditChains.Operator, 3L, AuditProblem.EntryMissing), (finding.Log, finding.Chain, finding.Position, finding.Problem));
        Assert.Equal($"operator.action {seal.EntryId}", finding.Expected);
        Assert.Equal("no such entry", finding.Found);
    }

    [Fact]
    public async Task Verify_RowAndItsSealDeleted_NamesTheMissingPosition()
    {
        Written().DeleteEntryAndSeal(AuditChains.Operator, 3);

        var report = await VerifyAsync();

        var finding = Assert.Single(report.Findings);
        Assert.Equal((3L, AuditProblem.PositionMissing, "position 3", "position 4 next"), (finding.Position, finding.Problem, finding.Expected, finding.Found));
    }

    [Fact]
    public async Task Verify_TwoEntriesSwapped_NamesBoth()
    {
        Written().SwapEntries(AuditChains.Timeline, 4, 5);

        var report = await VerifyAsync();

        Assert.Equal([(4L, AuditProblem.EntryAltered), (5L, AuditProblem.EntryAltered)], report.Findings.Select(f => (f.Position, f.Problem)));
    }

    [Fact]
    public async Task Verify_TwoSealsSwapped_NamesTheBrokenLinks()
    {
        Written().SwapSeals(AuditChains.Timeline, 4, 5);

        var report = await VerifyAsync();

        Assert.Equal(AuditProblem.LinkBroken, report.Findings[0].Problem);
        Assert.Equal(4, report.Findings[0].Position);
        Assert.Equal(trail.SealAt(AuditChains.Timeline, 3).Hash, report.Findings[0].Expected);
    }

    [Fact]
    public async Task Verify_TailCutAfterAnExportedCheckpoint_SaysWhereTheChainEndsAndWhatTheExportCovers()
    {
        Written();
        var exported = trail.Checkpoints.ToList();
        trail.CutTail(AuditChains.Timeline, 12);

        var report = await VerifyAsync(new AuditVerificationRequest { Exported = exported });

        var cut = report.Findings.Single(f => f.Chain is not null);
        Assert.Equal((AuditChains.Timeline, 12L, AuditProblem.ChainShort), (cut.Chain, cut.Position, cut.Problem));
        Assert.Equal(("14 entries (exported checkpoint 2)", "11 entries"), (cut.Expected, cut.Found));
        Assert.Contains(report.Findings, f => f is { Problem: AuditProblem.CheckpointMissing, Checkpoint: 2, Log: "exported checkpoints" });
        Assert.Equal(1, report.IntactThrough?.Number);
    }

    [Fact]
    public async Task Verify_TailCutWithItsCheckpointsAndNoExport_CannotTell()
    {
        Written();
        trail.CutTail(AuditChains.Timeline, 12);

        var report = await VerifyAsync();

        Assert.True(report.Intact);
        Assert.Equal(1, report.IntactThrough?.Number);
    }

    [Fact]
    public async Task Verify_ChainRewrittenConsistently_IsCaughtAtTheCheckpointNamingTheRange()
    {
        Written().Edit(AuditChains.Timeline, 12, "action", AuditValue.Of("Đã xử lý"));
        trail.Rechain(AuditChains.Timeline);

        var report = await VerifyAsync();

        var finding = Assert.Single(report.Findings);
        Assert.Equal((14L, AuditProblem.CheckpointMismatch, 2L), (finding.Position, finding.Problem, finding.Checkpoint));
        Assert.Equal(trail.Checkpoints[1].Chains.Single(h => h.Chain == AuditChains.Timeline).LastHash, finding.Expected);
        Assert.Contains("between positions 11 and 14", finding.Message, StringComparison.Ordinal);
        Assert.Equal(1, report.IntactThrough?.Number);
    }

    [Fact]
    public async Task Verify_CheckpointForged_NamesItsSignature()
    {
        Written().ReplaceCheckpoint(2, c => c with { Chains = [.. c.Chains.Select(h => h.Chain == AuditChains.Timeline ? h with { Count = 13 } : h)] });

        var report = await VerifyAsync();

        var finding = Assert.Single(report.Findings);
        Assert.Equal(("checkpoints", (string?)null, 2L, AuditProblem.SignatureInvalid), (finding.Log, finding.Chain, finding.Position, finding.Problem));
        Assert.Equal(1, report.IntactThrough?.Number);
    }

    [Fact]
    public async Task Verify_CheckpointResignedWithAnotherKey_NamesTheUnknownKey()
    {
        using var stranger = AuditSigningKey.Create();
        Written().ReplaceCheckpoint(2, c => stranger.Sign(c.Number, c.At, c.Chains));

        var report = await VerifyAsync();

        var finding = Assert.Single(report.Findings);
        Assert.Equal((2L, AuditProblem.UnknownKey, $"a signature by key {stranger.KeyId}"), (finding.Position, finding.Problem, finding.Found));
    }

    [Fact]
    public async Task Verify_KeyHolderRewritesAndSignsAgain_IsCaughtByTheExportedCheckpoint()
    {
        Written();
        var exported = trail.Checkpoints.ToList();
        trail.Edit(AuditChains.Operator, 2, "comment", AuditValue.Of("Không có lý do"));
        trail.Rechain(AuditChains.Operator);
        foreach (var number in new long[] { 1, 2 })
        {
            trail.ReplaceCheckpoint(number, c => trail.Key.Sign(c.Number, c.At, [.. c.Chains.Select(h => h.Chain == AuditChains.Operator ? trail.Head(AuditChains.Operator) : h)]));
        }

        var alone = await VerifyAsync();
        var report = await VerifyAsync(new AuditVerificationRequest { Exported = exported });

        Assert.True(alone.Intact);
        Assert.False(report.Intact);
        var mismatch = report.Findings.First();
        Assert.Equal((AuditChains.Operator, 5L, AuditProblem.CheckpointMismatch, 1L), (mismatch.Chain, mismatch.Position, mismatch.Problem, mismatch.Checkpoint));
        Assert.Contains("exported checkpoint 1", mismatch.Message, StringComparison.Ordinal);
        Assert.Contains(report.Findings, f => f is { Problem: AuditProblem.CheckpointDiffers, Checkpoint: 1 });
        Assert.Null(report.IntactThrough);
    }

    [Fact]
    public async Task Verify_CheckpointRemovedFromTheMiddle_NamesTheGap()
    {
        Written();
        trail.Timeline(1).Seal();
        trail.Checkpoint();
        trail.RemoveCheckpoint(2);

        var report = await VerifyAsync();

        var finding = Assert.Single(report.Findings);
        Assert.Equal((2L, AuditProblem.CheckpointMissing), (finding.Position, finding.Problem));
    }

    [Fact]
    public async Task Verify_AfterKeyRotation_EveryCheckpointStillHolds()
    {
        Written();
        using var next = AuditSigningKey.Create();
        trail.Operator(2).Seal();
        trail.Checkpoint(next);
        using var rotated = new AuditKeySet([next.PublicKey(), trail.Key.PublicKey(current: false)]);
        using var newOnly = new AuditKeySet([next.PublicKey()]);

        var report = await new AuditVerifier(rotated, trail.Clock).VerifyAsync(trail, new AuditVerificationRequest(), CancellationToken.None);
        var withoutRetired = await new AuditVerifier(newOnly, trail.Clock).VerifyAsync(trail, new AuditVerificationRequest(), CancellationToken.None);

        Assert.True(report.Intact, report.Summary);
        Assert.Equal(3, report.IntactThrough?.Number);
        Assert.Equal([1L, 2L], withoutRetired.Findings.Where(f => f.Problem == AuditProblem.UnknownKey).Select(f => f.Position));
    }

    [Fact]
    public async Task Verify_AfterRetentionBeforeACheckpoint_VerifiesWhatRemains()
    {
        Written();
        trail.Timeline(3).Operator(2).Seal();
        trail.Prune(trail.Checkpoints[0]);

        var report = await VerifyAsync();

        Assert.True(report.Intact, report.Summary);
        Assert.Equal(1, report.RetainedThrough?.Number);
        Assert.Equal([(AuditChains.Identity, 7L, 0L), (AuditChains.Operator, 6L, 2L), (AuditChains.Timeline, 11L, 7L)], report.Chains.Select(c => (c.Chain, c.FirstPosition, c.Entries)));
        Assert.Contains("(entries up to checkpoint 1 of ", report.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_AfterRetentionThenAnEditedEntry_StillNamesIt()
    {
        Written();
        trail.Prune(trail.Checkpoints[0]);
        trail.Edit(AuditChains.Timeline, 13, "unit", AuditValue.Of("Sở Xây dựng"));

        var report = await VerifyAsync();

        Assert.Equal((13L, AuditProblem.EntryAltered), (report.Findings.Single().Position, report.Findings.Single().Problem));
    }

    [Fact]
    public async Task Verify_EntriesDeletedUpToACheckpointWithoutARetentionRecord_NamesTheGap()
    {
        Written();
        trail.Delete(trail.Checkpoints[0]);

        var report = await VerifyAsync();

        var finding = report.Findings.First(f => f.Chain == AuditChains.Timeline);
        Assert.Equal((1L, AuditProblem.PositionMissing, "position 11 next"), (finding.Position, finding.Problem, finding.Found));
        Assert.Contains(report.Findings, f => f is { Chain: AuditChains.Identity, Problem: AuditProblem.ChainShort });
    }

    [Fact]
    public async Task Verify_RetentionRecordSignedByAnotherKey_IsNotAccepted()
    {
        using var stranger = AuditSigningKey.Create();
        Written();
        trail.Prune(trail.Checkpoints[0], stranger);

        var report = await VerifyAsync();

        Assert.Contains(report.Findings, f => f is { Log: "retention", Problem: AuditProblem.UnknownKey, Position: 1 });
        Assert.Contains(report.Findings, f => f is { Chain: AuditChains.Timeline, Problem: AuditProblem.PositionMissing, Position: 1 });
        Assert.Null(report.RetainedThrough);
    }

    [Fact]
    public async Task Verify_EntriesDeletedFromTheStartWithoutACheckpoint_NamesTheGap()
    {
        Written();
        trail.DeleteEntryAndSeal(AuditChains.Timeline, 1);
        trail.DeleteEntryAndSeal(AuditChains.Timeline, 2);

        var report = await VerifyAsync();

        var finding = Assert.Single(report.Findings);
        Assert.Equal((1L, AuditProblem.PositionMissing, "position 3 next"), (finding.Position, finding.Problem, finding.Found));
    }

    [Fact]
    public async Task Verify_FromACheckpoint_ChecksOnlyWhatFollowsIt()
    {
        Written().Edit(AuditChains.Timeline, 2, "actor", AuditValue.Of("x"));

        var report = await VerifyAsync(new AuditVerificationRequest { From = 1 });

        Assert.True(report.Intact, report.Summary);
        Assert.Equal(4, report.Entries);
        Assert.Equal(1, report.StartedAt);
        Assert.Contains("(verified from checkpoint 1)", report.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_FromACheckpointThatDoesNotExist_SaysWhichOnesDo()
    {
        Written();

        var error = await Assert.ThrowsAsync<CheckpointNotFoundException>(() => VerifyAsync(new AuditVerificationRequest { From = 7 }));

        Assert.Contains("1 to 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_ExportedCheckpointStillInTheStore_Holds()
    {
        Written();

        var report = await VerifyAsync(new AuditVerificationRequest { Exported = [trail.Checkpoints[0]] });

        Assert.True(report.Intact, report.Summary);
        Assert.Equal(1, report.ExportedCheckpoints);
    }

    public void Dispose() => trail.Dispose();

    private async Task<AuditVerificationReport> VerifyAsync(AuditVerificationRequest? request = null)
    {
        using var keys = trail.Keys();
        return await new AuditVerifier(keys, trail.Clock).VerifyAsync(trail, request ?? new AuditVerificationRequest(), CancellationToken.None);
    }
}
