using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using IntegrationHub.Core.Messaging;
using IntegrationHub.Core.Routing;
using IntegrationHub.Core.Store;
using IntegrationHub.StandIns;

namespace IntegrationHub.EndToEnd.Tests.Operations;

/// <summary>
/// Replays an operator would do for real: a dossier dead-lettered for a procedure the catalogue did
/// not know, replayed once the procedure is added; a message already processed, replayed again; and
/// a replay job whose host stops halfway and is resumed by the next host.
/// </summary>
[Trait("Category", "Operations")]
[Collection(EndToEnd.Collection)]
public sealed class ReplayScenarioTests(StandInsFixture standIns) : IClassFixture<StandInsFixture>
{
    private static readonly TimeSpan Settling = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Replay_AfterTheProcedureIsAddedToTheCatalogue_RoutesTheDossierOnceAndAReplayOfTheSameMessageChangesNothing()
    {
        using var referenceData = new ReferenceDataCopy();
        await using var testHub = TestHub.Start(standIns.Server, settings => settings["ReferenceData:Directory"] = referenceData.Directory);
        var (hub, probe, keys) = (testHub.Hub, testHub.Probe, testHub.Keys);
        await FeedReconciliation.WaitUntilSettledAsync(probe, Settling);
        var code = StandInData.Expected.Single(e => e.Expect == "deadLetter" && e.Stage == "routing" && e.ProcedureCode == "1.999999").PortalCode!;
        var messageId = $"route:{code}";
        using var ops = Ops.Operator(hub, keys);
        var deadLetter = (await ops.GetFromJsonAsync<JsonObject>(Ops.Path($"/api/ops/dead-letters/route/{messageId}"), TestContext.Current.CancellationToken))!;

        referenceData.AddProcedure("1.999999", "STP");
        await Eventually.HoldsAsync(() => Task.FromResult(hub.Get<Reloadable<ReferenceData>>().Current.Procedures.Find("1.999999") is not null), TimeSpan.FromSeconds(30), () => "the catalogue was not reloaded");
        var job = await Ops.JsonAsync(await ops.PostAsJsonAsync(Ops.Path("/api/ops/replays"), new { queue = "route", messageIds = new[] { messageId }, comment = "Đã bổ sung thủ tục 1.999999 vào danh mục" }, TestContext.Current.CancellationToken));
        await Ops.WaitForJobAsync(ops, (string)job["id"]!, TimeSpan.FromSeconds(30));
        // Routed, and the portal told (which changes the record too): what the replay did has come to rest.
        await Eventually.HoldsAsync(async () => await probe.DossierAsync(code) is { Stage: DossierStage.Routed, PortalSyncedAt: not null }, TimeSpan.FromSeconds(30), () => "the replayed dossier was not routed and reported to the portal");
        var routed = (await probe.DossierAsync(code))!;
        var pulled = await FeedReconciliation.PullEveryDepartmentAsync(hub.ClientWith, keys, 0);
        var timeline = await hub.Get<IDossierRegistry>().TimelineAsync(code, CancellationToken.None);

        Assert.Equal("STP", routed.DepartmentCode);
        Assert.Equal([code], pulled.Where(p => p.Dossier.PortalCode == code).Select(p => p.Dossier.PortalCode));
        Assert.Equal("1.999999", pulled.Single(p => p.Dossier.PortalCode == code).Dossier.ProcedureCode);
        Assert.Contains(timeline, s => s.Actor == Ops.OperatorName && s.Unit == Ops.OperatorUnit && s.Action.Contains("Đã bổ sung thủ tục 1.999999", StringComparison.Ordinal));
        Assert.Single(timeline, s => s.Status == Schemas.DossierStatus.Accepted);
        Assert.DoesNotContain(await probe.DeadLettersAsync("route"), l => l.MessageId == messageId);

        // A copy of the message the route function has now processed, as a crash between its commit
        // and its completion can leave behind: the replay delivers it, the function's inbox knows it.
        await using (var transaction = await hub.Get<IHubTransactions>().BeginAsync(CancellationToken.None))
        {
            var body = Encoding.UTF8.GetBytes(deadLetter["body"]!.ToJsonString());
            transaction.DeadLetter("route", new OutgoingMessage { MessageId = messageId, Body = body, CorrelationId = code, Subject = "ApplicantVerified" }, "MaxDeliveryCountExceeded", "Failed on delivery 30 of 30: TimeoutException: lock lost after commit");
            await transaction.CommitAsync(CancellationToken.None);
        }

        var again = await Ops.JsonAsync(await ops.PostAsJsonAsync(Ops.Path("/api/ops/replays"), new { queue = "route", messageIds = new[] { messageId }, comment = "Gửi lại lần hai" }, TestContext.Current.CancellationToken));
        var done = await Ops.WaitForJobAsync(ops, (string)again["id"]!, TimeSpan.FromSeconds(30));
        await Eventually.HoldsAsync(async () => await RouteQueueIsEmptyAsync(hub), TimeSpan.FromSeconds(30), () => "the route queue did not drain");
        var after = (await probe.DossierAsync(code))!;
        var timelineAfter = await hub.Get<IDossierRegistry>().TimelineAsync(code, CancellationToken.None);

        Assert.Equal(1, (int)done["job"]!["replayed"]!);
        Assert.Equal(routed.Version, after.Version);
        Assert.Equal(routed.CityCode, after.CityCode);
        Assert.Single(timelineAfter, s => s.Status == Schemas.DossierStatus.Accepted);
        Assert.DoesNotContain(await probe.DeadLettersAsync("route"), l => l.MessageId == messageId);
        Assert.DoesNotContain(await FeedReconciliation.PullEveryDepartmentAsync(hub.ClientWith, keys, 0), p => p.Dossier.PortalCode == code);
    }

    [Fact]
    public async Task ReplayJob_HostStoppedHalfway_TheNextHostResumesItAndEachMessageArrivesOnce()
    {
        const int Count = 8;
        await using var testHub = TestHub.Start(standIns.Server, settings => settings["Flows:PortalPollInterval"] = "01:00:00");
        var keys = testHub.Keys;
        string queue;
        string id;
        await using (var first = testHub.Hub)
        {
            queue = await Ops.SeedDeadLettersAsync(first, Count);
            using var ops = Ops.Operator(first, keys);
            id = (string)(await Ops.JsonAsync(await ops.PostAsJsonAsync(Ops.Path("/api/ops/replays"), new { queue, filter = new { }, maxPerSecond = 2, comment = "Gửi lại sau sự cố" }, TestContext.Current.CancellationToken)))["id"]!;
            await Eventually.HoldsAsync(async () => (await Ops.PeekAsync(first, queue)).Count >= 2, TimeSpan.FromSeconds(30), () => "nothing was replayed before the stop");
        }

        var restartedAt = TimeProvider.System.GetUtcNow();
        await using var second = testHub.StartAnother();
        using var operatorAgain = Ops.Operator(second, keys);
        var done = await Ops.WaitForJobAsync(operatorAgain, id, TimeSpan.FromSeconds(60));
        var arrived = await Ops.PeekAsync(second, queue);

        Assert.Equal("completed", (string?)done["job"]!["status"]);
        Assert.Equal(Count, (int)done["job"]!["replayed"]!);
        Assert.Equal(Enumerable.Range(0, Count).Select(i => $"{queue}:{i}").Order(), arrived.Select(m => m.MessageId).Order());
        Assert.Empty(await Ops.PeekAsync(second, QueueNames.DeadLetterOf(queue)));
        var tried = done["items"]!.AsArray().Select(i => DateTimeOffset.Parse((string)i!["triedAt"]!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Contains(tried, t => t < restartedAt);
        Assert.Contains(tried, t => t >= restartedAt);
    }

    private static async Task<bool> RouteQueueIsEmptyAsync(InProcessHub hub)
    {
        var statistics = await hub.Get<IQueueAdmin>().GetStatisticsAsync("route", CancellationToken.None);
        return statistics.ActiveMessageCount + statistics.LockedMessageCount + statistics.ScheduledMessageCount == 0;
    }
}
