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
        await using var hub = TestHub.Start(wireMock.Server);

        await FeedReconciliation.WaitUntilSettledAsync(hub.Probe, Settling);

        await FeedReconciliation.AssertAsync(hub.Probe, hub.Hub.ClientWith, hub.Keys, () => hub.Scope.RequestsAsync(), () => hub.Scope.RequestsAsync());
    }

    [Fact]
    public async Task SampleFeed_PopulationDatabaseDownForThirtySeconds_NothingLostAndNothingTwice()
    {
        await using var hub = TestHub.Start(wireMock.Server, settings => settings["Connectors:Population:Breaker:BreakDuration"] = "00:00:05");
        var (scope, probe) = (hub.Scope, hub.Probe);
        await scope.FailAsync("POST", "/csdldc/api/TraCuuThongTinCongDan", WireMockFault.Status503RetryAfter.WithRetryAfter("1"));

        var outage = Task.Delay(TimeSpan.FromSeconds(30));
        await Eventually.HoldsAsync(async () => (await scope.RequestsAsync("/csdldc/api/TraCuuThongTinCongDan")).Count >= 5, TimeSpan.FromSeconds(30), () => "the population database was not asked");
        await outage;
        var refusedDuringOutage = (await scope.RequestsAsync("/csdldc/api/TraCuuThongTinCongDan")).Count;
        await scope.ClearAsync();

        await FeedReconciliation.WaitUntilSettledAsync(probe, Settling);

        Assert.True(refusedDuringOutage >= 5);
        await FeedReconciliation.AssertAsync(probe, hub.Hub.ClientWith, hub.Keys, () => scope.RequestsAsync(), () => scope.RequestsAsync());
    }
}
