using IntegrationHub.Runtime.RabbitMq;

namespace IntegrationHub.Runtime.Tests.RabbitMq;

/// <summary>Coalesced acknowledgements never acknowledge a delivery that is still running or was returned.</summary>
[Trait("Category", "Unit")]
public sealed class AckLedgerTests
{
    [Fact]
    public void Complete_InDeliveryOrder_AcknowledgesEachUpToItself()
    {
        var ledger = CreateSut(1, 2, 3);

        Assert.Equal(new AckPlan(1, []), ledger.Complete(1), Comparer);
        Assert.Equal(new AckPlan(2, []), ledger.Complete(2), Comparer);
    }

    [Fact]
    public void Complete_AheadOfALowerRunningDelivery_WaitsThenGoesWithIt()
    {
        var ledger = CreateSut(1, 2, 3);

        var early = ledger.Complete(3);
        var middle = ledger.Complete(2);
        var lowest = ledger.Complete(1);

        Assert.Equal(0ul, early.UpTo);
        Assert.Equal(0ul, middle.UpTo);
        Assert.Equal(new AckPlan(3, []), lowest, Comparer);
    }

    [Fact]
    public void Returned_TheLowestDelivery_ReleasesTheCompletedOnesAboveItButNotItself()
    {
        var ledger = CreateSut(1, 2, 3);
        ledger.Complete(2);

        var plan = ledger.Returned(1);

        Assert.Equal(new AckPlan(2, []), plan, Comparer);
        Assert.Equal(0ul, ledger.Complete(4).UpTo);
    }

    [Fact]
    public void Complete_MoreThanMaxWaitingBehindASlowDelivery_AcknowledgesThemOneByOne()
    {
        var tags = Enumerable.Range(1, AckLedger.MaxWaiting + 2).Select(i => (ulong)i).ToArray();
        var ledger = CreateSut(tags);

        var plans = tags.Skip(1).Select(ledger.Complete).ToList();

        Assert.All(plans.Take(AckLedger.MaxWaiting), p => Assert.Equal(new AckPlan(0, []), p, Comparer));
        Assert.Equal(tags.Skip(1), plans[^1].Singles);
        Assert.Equal(0ul, plans[^1].UpTo);
        Assert.Equal(new AckPlan(1, []), ledger.Complete(1), Comparer);
    }

    [Fact]
    public void Drain_CompletedDeliveriesStillWaiting_AreAllAcknowledgedOnTheirOwn()
    {
        var ledger = CreateSut(1, 2, 3);
        ledger.Complete(3);
        ledger.Complete(2);

        var drained = ledger.Drain();

        Assert.Equal([2ul, 3ul], drained.Singles);
        Assert.Equal(0ul, drained.UpTo);
    }

    private static AckLedger CreateSut(params ulong[] delivered)
    {
        var ledger = new AckLedger();
        foreach (var tag in delivered)
        {
            ledger.Delivered(tag);
        }

        return ledger;
    }

    private static readonly IEqualityComparer<AckPlan> Comparer = EqualityComparer<AckPlan>.Create((a, b) => a.UpTo == b.UpTo && a.Singles.SequenceEqual(b.Singles));
}
