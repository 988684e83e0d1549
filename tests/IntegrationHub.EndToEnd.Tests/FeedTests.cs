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
public sealed class FeedTests(StandInsFixture standIns, PostgresServer postgres) : IClassFixture<StandInsFixture>
{
    private static readonly TimeSpan Settling = TimeSpan.FromMinutes(3);

    /// <summary>The embedded transport on SQLite; Azure Service Bus (the double) with the SQLite store, and with the PostgreSQL store.</summary>
    [Theory]
    [InlineData(HubTransport.Embedded, "sqlite")]
    [InlineData(HubTransport.ServiceBus, "sqlite")]
    [InlineData(HubTransport.ServiceBus, "postgres")]
    public async Task SampleFeed_EveryItemEndsAsExpectedAndCountsReconcile(string transport, string store)
    {
        await using var on = await HubTransport.StartAsync(transport, store == "postgres" ? postgres : null);
        await using var hub = TestHub.Start(standIns.Server, transport: on);

        await FeedReconciliation.WaitUntilSettledAsync(hub.Probe, Settling);

        await FeedReconciliation.AssertAsync(hub.Probe, hub.Hub.ClientWith, hub.Keys, () => hub.Scope.Requests(), () => hub.Scope.Requests(), pullWaitSeconds: transport == HubTransport.Embedded ? 0 : 1);
    }

    [Fact]
    public async Task SampleFeed_PopulationDatabaseDownForThirtySeconds_NothingLostAndNothingTwice()
    {
        await using var hub = TestHub.Start(standIns.Server, settings => settings["Connectors:Population:Breaker:BreakDuration"] = "00:00:05");
        var (scope, probe) = (hub.Scope, hub.Probe);
        scope.Fail("POST", "/csdldc/api/TraCuuThongTinCongDan", StandInFaults.Status503RetryAfter.WithRetryAfter("1"));

        var outage = Task.Delay(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        await Eventually.HoldsAsync(async () => scope.Requests("/csdldc/api/TraCuuThongTinCongDan").Count >= 5, TimeSpan.FromSeconds(30), () => "the population database was not asked");
        await outage;
        var refusedDuringOutage = scope.Requests("/csdldc/api/TraCuuThongTinCongDan").Count;
        scope.Clear();

        await FeedReconciliation.WaitUntilSettledAsync(probe, Settling);

        Assert.True(refusedDuringOutage >= 5);
        await FeedReconciliation.AssertAsync(probe, hub.Hub.ClientWith, hub.Keys, () => scope.Requests(), () => scope.Requests());
    }
}
