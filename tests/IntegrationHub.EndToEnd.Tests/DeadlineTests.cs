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
        using var keys = new TestKeys();
        using var scope = standIns.CreateScope();
        var settings = EndToEnd.Settings(standIns.Url, keys);
        settings["Flows:DeadlineCheckInterval"] = "00:00:02";
        await using var hub = new InProcessHub(settings, scope);
        await using var probe = HubProbe.Of(hub.Started());
        var routed = StandInData.Expected.Where(e => e.Expect == "accepted").Select(e => e.PortalCode!).ToList();
        await FeedReconciliation.WaitUntilSettledAsync(probe, TimeSpan.FromMinutes(3));

        await Eventually.HoldsAsync(async () => (await AlertsAsync(probe)).Count >= routed.Count, TimeSpan.FromSeconds(30), () => "not every overdue dossier was alerted");
        await Task.Delay(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken); // two more checks
        var alerts = await AlertsAsync(probe);

        Assert.Equal(routed.Order(StringComparer.Ordinal), alerts.Order(StringComparer.Ordinal));
        var registry = hub.Get<Core.Store.IDossierRegistry>();
        foreach (var code in routed.Take(5))
        {
            var steps = await registry.TimelineAsync(code, CancellationToken.None);
            Assert.Single(steps, s => s.Action.StartsWith("Cảnh báo: hồ sơ đã quá hạn", StringComparison.Ordinal));
        }
    }

    /// <summary>The portal codes of the overdue alerts on the <c>deadline-alerts</c> queue, one per message.</summary>
    private static async Task<IReadOnlyList<string>> AlertsAsync(HubProbe probe) =>
        [.. (await probe.MessagesAsync("deadline-alerts")).Where(id => id.EndsWith(":overdue", StringComparison.Ordinal)).Select(id => id["alert:".Length..^":overdue".Length])];
}
