using IntegrationHub.Testing.WireMock;

namespace IntegrationHub.EndToEnd.Tests;

/// <summary>
/// The portal stand-in's 65 submissions flow through the real hub (bad ones included): each good one
/// reaches exactly one correct department queue, once, with the right city code and due date; the
/// portal is told status 2 or 3 with a reason; each bad one is rejected or dead-lettered with a
/// reason; and the counts reconcile exactly.
/// </summary>
[Trait("Category", "E2E")]
[Collection(EndToEnd.Collection)]
public sealed class FeedTests(WireMockFixture wireMock) : IClassFixture<WireMockFixture>
{
    private static readonly TimeSpan Settling = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task SampleFeed_OnTheEmbeddedTransport_EveryItemEndsAsExpectedAndCountsReconcile()
    {
        using var keys = new TestKeys();
        await using var scope = wireMock.CreateScope();
        await using var hub = new InProcessHub(EndToEnd.Settings(wireMock.Url, keys), scope);
        await using var probe = HubProbe.Of(hub.Started());

        await FeedReconciliation.WaitUntilSettledAsync(probe, Settling);

        await FeedReconciliation.AssertAsync(probe, hub.ClientWith, keys, () => scope.RequestsAsync(), () => scope.RequestsAsync());
    }

    [Fact]
    public async Task SampleFeed_PopulationDatabaseDownForThirtySeconds_NothingLostAndNothingTwice()
    {
        using var keys = new TestKeys();
        await using var scope = wireMock.CreateScope();
        await scope.FailAsync("POST", "/csdldc/api/TraCuuThongTinCongDan", WireMockFault.Status503RetryAfter.WithRetryAfter("1"));
        var settings = EndToEnd.Settings(wireMock.Url, keys);
        settings["Connectors:Population:Breaker:BreakDuration"] = "00:00:05";
        await using var hub = new InProcessHub(settings, scope);
        await using var probe = HubProbe.Of(hub.Started());

        var outage = Task.Delay(TimeSpan.FromSeconds(30));
        await Eventually.HoldsAsync(async () => (await scope.RequestsAsync("/csdldc/api/TraCuuThongTinCongDan")).Count >= 5, TimeSpan.FromSeconds(30), () => "the population database was not asked");
        await outage;
        var refusedDuringOutage = (await scope.RequestsAsync("/csdldc/api/TraCuuThongTinCongDan")).Count;
        await scope.ClearAsync();

        await FeedReconciliation.WaitUntilSettledAsync(probe, Settling);

        Assert.True(refusedDuringOutage >= 5);
        await FeedReconciliation.AssertAsync(probe, hub.ClientWith, keys, () => scope.RequestsAsync(), () => scope.RequestsAsync());
    }
}
