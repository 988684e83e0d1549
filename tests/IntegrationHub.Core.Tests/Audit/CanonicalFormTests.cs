using IntegrationHub.Core.Audit;
using IntegrationHub.Core.Identity;
using IntegrationHub.Core.Operations;
using IntegrationHub.Core.Store;
using IntegrationHub.Schemas;

namespace IntegrationHub.Core.Tests.Audit;

[Trait("Category", "Unit")]
public sealed class CanonicalFormTests
{
    // Two timeline steps hashed by an implementation written from the README's description alone
    // (Python: struct.pack and hashlib), not from this code: the documented format and the code agree.
    private const string FirstHash = "6fd6e1872ab6a11123feeac5694c1f069b3725376896fc5d1fc95de09f465905";
    private const string SecondHash = "69b39f143f1c73522433d0789e6047254cc9bdfdc9c599594b8d6ae5bb25c77f";

    private static readonly TimelineEvent Received = new()
    {
        PortalCode = "G22.99-241203-000245", At = DateTimeOffset.FromUnixTimeMilliseconds(1733198400000), Actor = "Cổng Dịch vụ công quốc gia",
        Unit = "Trung tâm Phục vụ hành chính công", Action = "Tiếp nhận hồ sơ", Status = DossierStatus.NewlyRegistered,
    };

    private static readonly TimelineEvent Routed = new()
    {
        PortalCode = "G22.99-241203-000245", At = DateTimeOffset.FromUnixTimeMilliseconds(1733198460123).ToOffset(VietnamTime.Offset), Actor = "integrationhub",
        Unit = "IntegrationHub", Action = "Chuyển hồ sơ đến Sở Tư pháp", Status = DossierStatus.Accepted, MessageId = "route:G22.99-241203-000245",
    };

    [Fact]
    public void EntryHash_DocumentedExample_MatchesAnIndependentImplementation()
    {
        var first = CanonicalForm.EntryHash(AuditChains.Timeline, 1, CanonicalForm.ZeroHash, AuditEntries.Of(1, Received));
        var second = CanonicalForm.EntryHash(AuditChains.Timeline, 2, first, AuditEntries.Of(2, Routed));

        Assert.Equal(FirstHash, first);
        Assert.Equal(SecondHash, second);
    }

    [Fact]
    public void Entry_Bytes_StartWithTheFormatThenChainPositionAndPreviousHash()
    {
        var bytes = CanonicalForm.Entry(AuditChains.Timeline, 1, CanonicalForm.ZeroHash, AuditEntries.Of(1, Received));

        Assert.Equal("IHAUDIT1"u8.ToArray(), bytes[..8]);
        Assert.Equal(new byte[] { 0, 0, 0, 8 }, bytes[8..12]);
        Assert.Equal("timeline"u8.ToArray(), bytes[12..20]);
        Assert.Equal(new byte[] { 0, 0, 0, 0, 0, 0, 0, 1 }, bytes[20..28]);
        Assert.All(bytes[28..60], b => Assert.Equal(0, b));
    }

    [Fact]
    public void EntryHash_TimeWithinTheSameMillisecond_IsTheSame()
    {
        var stored = Received with { At = Received.At.AddTicks(9_999) };

        Assert.Equal(FirstHash, CanonicalForm.EntryHash(AuditChains.Timeline, 1, CanonicalForm.ZeroHash, AuditEntries.Of(1, stored)));
    }

    // Null and empty text; text and number; zero and null; composed and decomposed Vietnamese.
    public static TheoryData<AuditValue, AuditValue> LookAlikes() => new()
    {
        { AuditValue.Null, AuditValue.Of("") },
        { AuditValue.Of("1"), AuditValue.Of(1L) },
        { AuditValue.Of(0L), AuditValue.Null },
        { AuditValue.Of("Nguyễn"), AuditValue.Of("Nguyê\u0303n") },
    };

    [Theory]
    [MemberData(nameof(LookAlikes))]
    public void EntryHash_ValuesThatLookAlike_Differ(AuditValue a, AuditValue b)
    {
        Assert.NotEqual(Hash(new AuditField("f", a)), Hash(new AuditField("f", b)));
    }

    [Fact]
    public void EntryHash_TextMovedAcrossAFieldBoundary_Differs()
    {
        Assert.NotEqual(
            Hash(new AuditField("a", AuditValue.Of("ab")), new AuditField("b", AuditValue.Of("c"))),
            Hash(new AuditField("a", AuditValue.Of("a")), new AuditField("b", AuditValue.Of("bc"))));
    }

    [Fact]
    public void EntryHash_SameEntryAtAnotherPositionOrAfterAnotherEntry_Differs()
    {
        var entry = AuditEntries.Of(1, Received);

        Assert.NotEqual(FirstHash, CanonicalForm.EntryHash(AuditChains.Timeline, 2, CanonicalForm.ZeroHash, entry));
        Assert.NotEqual(FirstHash, CanonicalForm.EntryHash(AuditChains.Timeline, 1, SecondHash, entry));
        Assert.NotEqual(FirstHash, CanonicalForm.EntryHash(AuditChains.Operator, 1, CanonicalForm.ZeroHash, entry));
    }

    [Fact]
    public void Entry_PreviousHashThatIsNotAHash_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => CanonicalForm.Entry(AuditChains.Timeline, 1, "ABC", AuditEntries.Of(1, Received)));
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("", false)]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", true)]
    [InlineData("0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef", false)]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdeg", false)]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde", false)]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0", false)]
    public void IsHash_OnlySixtyFourLowercaseHexDigits(string? text, bool hash)
    {
        Assert.Equal(hash, CanonicalForm.IsHash(text));
    }

    [Fact]
    public void Entries_EachKind_CarryTheDocumentedFieldsInOrder()
    {
        var at = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000);
        var lookup = AuditEntries.Of(new IdentityLookup { LookupId = "idl-1", At = at, Officer = "canbo01", Unit = "U", Purpose = "1.010819", MaskedCitizenId = "001******345", CitizenKey = "k" });
        var outcome = AuditEntries.Of(7, new IdentityLookupOutcome { LookupId = "idl-1", At = at, Outcome = "mismatch" });
        var action = AuditEntries.Of(new OperatorAction { Id = 9, At = at, Actor = "ops-01", ActorName = "A", Action = OperatorActions.CancelJob, Comment = "c", JobId = "j1" });

        Assert.Equal(["portalCode", "at", "actor", "unit", "action", "status", "messageId"], AuditEntries.Of(1, Received).Fields.Select(f => f.Name));
        Assert.Equal(["at", "officer", "unit", "purpose", "maskedCitizenId", "citizenKey", "outcome", "fromCache"], lookup.Fields.Select(f => f.Name));
        Assert.Equal(("identity.lookup", "idl-1"), (lookup.Kind, lookup.EntryId));
        Assert.Equal(["lookupId", "at", "outcome", "fromCache"], outcome.Fields.Select(f => f.Name));
        Assert.Equal(("identity.outcome", "7", "mismatch"), (outcome.Kind, outcome.EntryId, outcome["outcome"]?.Text));
        Assert.Equal(["at", "actor", "actorName", "unit", "action", "queue", "messageId", "jobId", "comment", "detail"], action.Fields.Select(f => f.Name));
        Assert.Equal(("operator.action", "9", 1_700_000_000_000L), (action.Kind, action.EntryId, action["at"]?.Number));
    }

    [Fact]
    public void Seal_EntriesInOrder_LinksEachToTheOneBefore()
    {
        var (seals, head) = ChainSealing.Seal(ChainSealing.Empty(AuditChains.Timeline), [AuditEntries.Of(1, Received), AuditEntries.Of(2, Routed)]);

        Assert.Equal([1L, 2L], seals.Select(s => s.Position));
        Assert.Equal([CanonicalForm.ZeroHash, FirstHash], seals.Select(s => s.PreviousHash));
        Assert.Equal([FirstHash, SecondHash], seals.Select(s => s.Hash));
        Assert.Equal((2L, SecondHash), (head.Count, head.LastHash));
    }

    [Fact]
    public void Seal_EntryOfAnotherLog_IsRefused()
    {
        var action = AuditEntries.Of(new OperatorAction { Id = 1, At = Received.At, Actor = "a", ActorName = "a", Action = OperatorActions.Replay, Comment = "c" });

        var error = Assert.Throws<ArgumentException>(() => ChainSealing.Seal(ChainSealing.Empty(AuditChains.Timeline), [action]));

        Assert.Contains("operator.action", error.Message, StringComparison.Ordinal);
    }

    private static string Hash(params AuditField[] fields) =>
        CanonicalForm.EntryHash(AuditChains.Timeline, 1, CanonicalForm.ZeroHash, new AuditEntry(AuditEntryKinds.TimelineStep, "1", fields));
}
