using IntegrationHub.StandIns;

namespace IntegrationHub.EndToEnd.Tests;

/// <summary>
/// The portal stand-in's 65 submissions flow through the real hub (bad ones included): each good one
/// reaches exactly one correct department queue, once, with the right city code and due date; the
/// portal is told status 2 or 3 with a reason; each bad one is rejected or dead-lettered with a
/// reason; and the counts reconcile exactly.
/// </summary>
[Trait("Category", "E2E")]
[Collection(EndToEnd.Collection)]
public sealed class FeedTests(StandInsFixture standIns) : IClassFixture<StandInsFixture>
{
    private static readonly TimeSpan Settling = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task SampleFeed_OnTheEmbeddedTransport_EveryItemEndsAsExpectedAndCountsReconcile()
    {
        using var keys = new TestKeys();
        using var scope = standIns.CreateScope();
        await using var hub = new InProcessHub(EndToEnd.Settings(standIns.Url, keys), scope);
        await using var probe = HubProbe.Of(hub.Started());

        await FeedReconciliation.WaitUntilSettledAsync(probe, Settling);

        await FeedReconciliation.AssertAsync(probe, hub.ClientWith, keys, () => scope.Requests(), () => scope.Requests());
    }

    [Fact]
    public async Task SampleFeed_PopulationDatabaseDownForThirtySeconds_NothingLostAndNothingTwice()
    {
        using var keys = new TestKeys();
        using var scope = standIns.CreateScope();
        scope.Fail("POST", "/csdldc/api/TraCuuThongTinCongDan", StandInFaults.Status503RetryAfter.WithRetryAfter("1"));
        var settings = EndToEnd.Settings(standIns.Url, keys);
        settings["Connectors:Population:Breaker:BreakDuration"] = "00:00:05";
        await using var hub = new InProcessHub(settings, scope);
        await using var probe = HubProbe.Of(hub.Started());

        var outage = Task.Delay(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        await Eventually.HoldsAsync(async () => scope.Requests("/csdldc/api/TraCuuThongTinCongDan").Count >= 5, TimeSpan.FromSeconds(30), () => "the population database was not asked");
        await outage;
        var refusedDuringOutage = scope.Requests("/csdldc/api/TraCuuThongTinCongDan").Count;
        scope.Clear();

        await FeedReconciliation.WaitUntilSettledAsync(probe, Settling);

        Assert.True(refusedDuringOutage >= 5);
        await FeedReconciliation.AssertAsync(probe, hub.ClientWith, keys, () => scope.Requests(), () => scope.Requests());
    }
}
