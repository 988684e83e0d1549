using IntegrationHub.StandIns;

namespace IntegrationHub.EndToEnd.Tests;

/// <summary>The deadline watch over the sample feed, whose dossiers' due dates have all passed.</summary>
[Trait("Category", "E2E")]
[Collection(EndToEnd.Collection)]
public sealed class DeadlineTests(StandInsFixture standIns) : IClassFixture<StandInsFixture>
{
    [Fact]
    public async Task OverdueDossiers_CheckedAgainAndAgain_RaiseOneAlertEachOnTheirTimeline()
    {
        await using var testHub = TestHub.Start(standIns.Server, settings => settings["Flows:DeadlineCheckInterval"] = "00:00:02");
        var (hub, probe) = (testHub.Hub, testHub.Probe);
        var routed = StandInData.Expected.Where(e => e.Expect == "accepted").Select(e => e.PortalCode!).ToList();
        await FeedReconciliation.WaitUntilSettledAsync(probe, TimeSpan.FromMinutes(3));

        await Eventually.HoldsAsync(async () => (await AlertsAsync(probe)).Count >= routed.Count, TimeSpan.FromSeconds(30), () => "not every overdue dossier was alerted");
        var runs = await ChecksAsync(probe);
        await Eventually.HoldsAsync(async () => await ChecksAsync(probe) >= runs + 2, TimeSpan.FromSeconds(60), () => "the deadlines were not checked twice more");
        var alerts = await AlertsAsync(probe);

        Assert.Equal(routed.Order(StringComparer.Ordinal), alerts.Order(StringComparer.Ordinal));
        var registry = hub.Get<Core.Store.IDossierRegistry>();
        foreach (var code in routed.Take(5))
        {
            var steps = await registry.TimelineAsync(code, CancellationToken.None);
            Assert.Single(steps, s => s.Action.StartsWith("Cảnh báo: hồ sơ đã quá hạn", StringComparison.Ordinal));
        }
    }

    /// <summary>How many checks of the deadlines have finished.</summary>
    private static Task<long> ChecksAsync(HubProbe probe) => probe.ScalarAsync("SELECT COUNT(*) FROM hub_timer_runs WHERE name = 'watch-deadlines' AND finished_at IS NOT NULL");

    /// <summary>The portal codes of the overdue alerts on the <c>deadline-alerts</c> queue, one per message.</summary>
    private static async Task<IReadOnlyList<string>> AlertsAsync(HubProbe probe) =>
        [.. (await probe.MessagesAsync("deadline-alerts")).Where(id => id.EndsWith(":overdue", StringComparison.Ordinal)).Select(id => id["alert:".Length..^":overdue".Length])];
}
