using System.Text.Json.Nodes;
using IntegrationHub.Core.Store;
using IntegrationHub.Testing.WireMock;

namespace IntegrationHub.EndToEnd.Tests;

/// <summary>The hub process is killed (SIGKILL) mid-run and started again: the feed still reconciles exactly.</summary>
[Trait("Category", "E2E")]
[Collection(EndToEnd.Collection)]
public sealed class CrashTests(WireMockFixture wireMock) : IClassFixture<WireMockFixture>
{
    [Fact]
    public async Task SampleFeed_HubKilledMidRunAndRestarted_EveryItemEndsAsExpectedOnce()
    {
        using var keys = new TestKeys();
        var agency = HubSettings.UniqueAgencyCode();
        var settings = EndToEnd.Settings(wireMock.Url, keys, portalAgencyCode: agency);
        settings["DossierCodes:AgencyCode"] = agency;

        // One page of ten every two seconds, so that the kill lands mid-feed and between page cursors.
        settings["Flows:PortalPageSize"] = "10";
        settings["Flows:PortalPagesPerRun"] = "1";
        settings["Flows:PortalPollInterval"] = "00:00:02";

        // What the killed process held under a lock is offered again when the lock expires.
        settings["Messaging:LockDuration"] = "00:00:10";
        // The feed stops at its fourth page until the kill: the hub has seen 30 of its items, so the
        // kill lands before the feed's end however fast the machine is.
        await using var hold = await FeedHold.AtAsync(wireMock.Server.Admin, agency, "^[3-6]0$");
        using var hub = new ChildProcessHub(settings);
        await hub.StartAsync();
        await using var probe = HubProbe.OnDatabase(settings);
        var accepted = StandIns.Expected.Where(e => e.Expect == "accepted").Select(e => e.PortalCode!).ToList();
        await Eventually.HoldsAsync(
            async () => (await Task.WhenAll(accepted.Select(probe.DossierAsync))).Count(d => d?.Stage == DossierStage.Routed) >= 10,
            TimeSpan.FromMinutes(2),
            () => $"nothing was routed:\n{hub.Output}");

        hub.Kill();
        var routedAtKill = (await Task.WhenAll(accepted.Select(probe.DossierAsync))).Count(d => d?.Stage == DossierStage.Routed);
        await hold.ReleaseAsync();
        await hub.StartAsync();
        await FeedReconciliation.WaitUntilSettledAsync(probe, TimeSpan.FromMinutes(3));

        Assert.InRange(routedAtKill, 10, accepted.Count - 1);
        await FeedReconciliation.AssertAsync(
            probe,
            hub.ClientWith,
            keys,
            () => wireMock.Server.Admin.FindRequestsAsync(new JsonObject { ["bodyPatterns"] = new JsonArray(new JsonObject { ["matchesJsonPath"] = $"$[?(@.madonvi == '{agency}')]" }) }),
            () => wireMock.Server.Admin.FindRequestsAsync(new JsonObject { ["headers"] = new JsonObject { ["Idempotency-Key"] = new JsonObject { ["matches"] = $"^{agency.Replace(".", "\\.", StringComparison.Ordinal)}-.*" } } }),
            agency,
            crashed: true);
    }
}
