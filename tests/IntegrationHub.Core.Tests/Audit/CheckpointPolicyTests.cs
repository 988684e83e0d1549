using IntegrationHub.Core.Audit;
using IntegrationHub.Schemas;

namespace IntegrationHub.Core.Tests.Audit;

[Trait("Category", "Unit")]
public sealed class CheckpointPolicyTests
{
    private static readonly CheckpointPolicy Policy = new(TimeSpan.FromMinutes(5), 1000);
    private static readonly DateTimeOffset Signed = new(2026, 12, 3, 14, 0, 0, VietnamTime.Offset);

    [Fact]
    public void IsDue_NoCheckpointYet_IsDueAtOnceEvenForEmptyChains()
    {
        Assert.True(Policy.IsDue(null, Heads(0, 0), Signed));
    }

    [Fact]
    public void IsDue_NothingChanged_IsNotDueHoweverLong()
    {
        Assert.False(Policy.IsDue(Last(10, 5), Heads(10, 5), Signed.AddDays(30)));
    }

    [Fact]
    public void IsDue_ChangedWithinTheInterval_IsNotDue()
    {
        Assert.False(Policy.IsDue(Last(10, 5), Heads(11, 5), Signed.AddMinutes(4)));
    }

    [Fact]
    public void IsDue_ChangedAndTheIntervalPassed_IsDue()
    {
        Assert.True(Policy.IsDue(Last(10, 5), Heads(11, 5), Signed.AddMinutes(5)));
    }

    [Fact]
    public void IsDue_AChainGrewByTheCount_IsDueBeforeTheInterval()
    {
        Assert.True(Policy.IsDue(Last(10, 5), Heads(10, 1005), Signed.AddSeconds(2)));
        Assert.False(Policy.IsDue(Last(10, 5), Heads(10, 1004), Signed.AddSeconds(2)));
    }

    private static AuditChainHead[] Heads(long timeline, long identity) =>
    [
        new() { Chain = AuditChains.Timeline, Count = timeline, LastHash = HashOf(timeline) },
        new() { Chain = AuditChains.Identity, Count = identity, LastHash = HashOf(identity) },
        new() { Chain = AuditChains.Operator, Count = 0, LastHash = CanonicalForm.ZeroHash },
    ];

    private static AuditCheckpoint Last(long timeline, long identity) =>
        new() { Number = 1, At = Signed, KeyId = "k", Chains = Heads(timeline, identity), Signature = "" };

    private static string HashOf(long count) => count.ToString("x64", System.Globalization.CultureInfo.InvariantCulture);
}
