using System.Text.Json.Nodes;
using IntegrationHub.Core.Store;
using IntegrationHub.StandIns;

namespace IntegrationHub.EndToEnd.Tests;

/// <summary>The hub process is killed (SIGKILL) mid-run and started again: the feed still reconciles exactly.</summary>
[Trait("Category", "E2E")]
[Collection(EndToEnd.Collection)]
public sealed class CrashTests(StandInsFixture standIns) : IClassFixture<StandInsFixture>
{
    /// <summary>On the embedded transport, and on Azure Service Bus (the double, which outlives the killed hub).</summary>
    [Theory]
    [InlineData(HubTransport.Embedded)]
    [InlineData(HubTransport.ServiceBus)]
    public async Task SampleFeed_HubKilledMidRunAndRestarted_EveryItemEndsAsExpectedOnce(string transport)
    {
        using var keys = new TestKeys();
        await using var on = await HubTransport.StartAsync(transport);
        var agency = HubSettings.UniqueAgencyCode();
        var settings = EndToEnd.Settings(standIns.Url, keys, portalAgencyCode: agency);
        on.Apply(settings);
        settings["DossierCodes:AgencyCode"] = agency;

        // One page of ten every two seconds, so that the kill lands mid-feed and between page cursors.
        settings["Flows:PortalPageSize"] = "10";
        settings["Flows:PortalPagesPerRun"] = "1";
        settings["Flows:PortalPollInterval"] = "00:00:02";

        // What the killed process held under a lock is offered again when the lock expires.
        settings["Messaging:LockDuration"] = "00:00:10";
        // The feed stops at its fourth page until the kill: the hub has seen 30 of its items, so the
        // kill lands before the feed's end however fast the machine is.
        using var hold = FeedHold.At(standIns.Server, agency, "^[3-6]0$");
        using var hub = new ChildProcessHub(settings);
        await hub.StartAsync();
        await using var probe = HubProbe.OnDatabase(settings);
        var accepted = StandInData.Expected.Where(e => e.Expect == "accepted").Select(e => e.PortalCode!).ToList();
        await Eventually.HoldsAsync(
            async () => (await Task.WhenAll(accepted.Select(probe.DossierAsync))).Count(d => d?.Stage == DossierStage.Routed) >= 10,
            TimeSpan.FromMinutes(2),
            () => $"nothing was routed:\n{hub.Output}");

        hub.Kill();
        var routedAtKill = (await Task.WhenAll(accepted.Select(probe.DossierAsync))).Count(d => d?.Stage == DossierStage.Routed);
        hold.Release();
        await hub.StartAsync();
        await FeedReconciliation.WaitUntilSettledAsync(probe, TimeSpan.FromMinutes(3));

        Assert.InRange(routedAtKill, 10, accepted.Count - 1);
        await FeedReconciliation.AssertAsync(
            probe,
            hub.ClientWith,
            keys,
            () => standIns.Server.Requests(r => r.BodyProperty("madonvi") == agency),
            () => standIns.Server.Requests(r => r.Header("Idempotency-Key")?.StartsWith($"{agency}-", StringComparison.Ordinal) == true),
            agency,
            pullWaitSeconds: transport == HubTransport.Embedded ? 0 : 1,
            crashed: true);
    }
}
