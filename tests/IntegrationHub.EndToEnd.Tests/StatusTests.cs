using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using IntegrationHub.Core;
using IntegrationHub.Core.Store;
using IntegrationHub.StandIns;

namespace IntegrationHub.EndToEnd.Tests;

/// <summary>A department works a dossier pushed by the portal: pulls it, reports progress, asks for supplements.</summary>
[Trait("Category", "E2E")]
[Collection(EndToEnd.Collection)]
public sealed class StatusTests(StandInsFixture standIns) : IClassFixture<StandInsFixture>
{
    [Fact]
    public async Task Department_RequestsSupplementsTwice_SecondIsRefusedAndThePortalSeesOneRequest()
    {
        await using var testHub = TestHub.Start(standIns.Server, settings => settings["Flows:PortalPollInterval"] = "01:00:00");
        var (hub, probe, keys, scope) = (testHub.Hub, testHub.Probe, testHub.Keys, testHub.Scope);
        var code = $"G22.99-W{Guid.NewGuid():N}"[..30];
        var justice = StandInData.Expected.First(e => e.Expect == "accepted" && e.Department == "STP");
        var receivedAt = VietnamTime.At(WorkingDayBefore(TimeProvider.System.GetUtcNow().AddDays(-7)), new TimeOnly(8, 0));

        using var portal = hub.ClientWith(keys.Token(["portal"], subject: "dvcqg"));
        var pushed = await portal.SendAsync(PortalPush.Signed(PortalPush.Dossier(justice.FeedPosition, code, receivedAt), TimeProvider.System.GetUtcNow()), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Accepted, pushed.StatusCode);
        await Eventually.HoldsAsync(async () => await probe.DossierAsync(code) is { Stage: DossierStage.Routed }, TimeSpan.FromSeconds(30), () => "the pushed dossier was not routed");
        var routed = (await probe.DossierAsync(code))!;

        using var stp = hub.ClientWith(keys.Token(["department:STP"], subject: "stp-officer"));
        var pulled = (await stp.GetFromJsonAsync<JsonObject>(new Uri("/api/departments/STP/dossiers?max=5", UriKind.Relative), TestContext.Current.CancellationToken))!["dossiers"]!.AsArray().Single(d => (string?)d!["dossier"]!["portalCode"] == code)!;
        var acknowledged = await stp.PostAsJsonAsync(new Uri($"/api/departments/STP/dossiers/{routed.CityCode}/acknowledgement", UriKind.Relative), new { lockToken = (string)pulled["lockToken"]! }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NoContent, acknowledged.StatusCode);

        var dueBefore = routed.Progress!.DueAt;
        var pausedAt = receivedAt.AddHours(2);
        var resumedAt = receivedAt.AddHours(26);
        Assert.Equal(HttpStatusCode.Accepted, (await Report(stp, routed.CityCode!, "r1", "inProcessing", receivedAt.AddHours(1))).StatusCode);
        var supplement = await Report(stp, routed.CityCode!, "r2", "supplementRequested", pausedAt);
        var resumed = await Report(stp, routed.CityCode!, "r3", "inProcessing", resumedAt);
        var second = await Report(stp, routed.CityCode!, "r4", "supplementRequested", receivedAt.AddHours(27));

        Assert.Equal(HttpStatusCode.Accepted, supplement.StatusCode);
        Assert.True((bool)(await supplement.Content.ReadFromJsonAsync<JsonObject>(TestContext.Current.CancellationToken))!["paused"]!);
        Assert.Equal(HttpStatusCode.Accepted, resumed.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        var problem = (await second.Content.ReadFromJsonAsync<JsonObject>(TestContext.Current.CancellationToken))!;
        Assert.Equal("/problems/supplement-already-requested", (string?)problem["type"]);
        Assert.Equal("supplementRequested", (string?)problem["to"]);

        var calendar = ReferenceDataFiles.Default.Calendar;
        var dueAfter = (await probe.DossierAsync(code))!.Progress!.DueAt;
        Assert.Equal(calendar.AddWorkingTime(dueBefore, calendar.WorkingTimeBetween(pausedAt, resumedAt)), dueAfter);
        Assert.True(dueAfter > dueBefore);

        // The portal-status messages are processed concurrently: the pause's sync may come after the
        // resumption's, and each step's progress record is pushed after its sync.
        await Eventually.HoldsAsync(
            async () => Syncs(scope.Requests(), code) is var told && told.Count(s => s.Status == "4") >= 2 && told.Any(s => s.Status == "5")
                && Progress(scope.Requests(), code).Any(p => (string?)p!["TrangThai"] == "5"),
            TimeSpan.FromSeconds(30),
            () => "the portal was not told of the pause and both resumptions, with the pause's progress record");
        var syncs = Syncs(scope.Requests(), code);
        Assert.Single(syncs.Where(s => s.Status == "5").Select(s => s.ChangedAt).Distinct());
        Assert.Equal(["2", "4", "5"], syncs.Select(s => s.Status).Distinct().Order().ToArray());
        Assert.Single(Progress(scope.Requests(), code), p => (string?)p!["TrangThai"] == "5");
        Assert.Empty(await probe.DeadLettersAsync("portal-status"));
    }

    [Fact]
    public async Task Department_ReportsOnAnotherDepartmentsDossierOrAnImpossibleChange_IsRefusedAndNothingChanges()
    {
        await using var testHub = TestHub.Start(standIns.Server, settings => settings["Flows:PortalPollInterval"] = "01:00:00");
        var (hub, probe, keys, scope) = (testHub.Hub, testHub.Probe, testHub.Keys, testHub.Scope);
        var code = $"G22.99-W{Guid.NewGuid():N}"[..30];
        var justice = StandInData.Expected.First(e => e.Expect == "accepted" && e.Department == "STP");
        using var portal = hub.ClientWith(keys.Token(["portal"], subject: "dvcqg"));
        await portal.SendAsync(PortalPush.Signed(PortalPush.Dossier(justice.FeedPosition, code, TimeProvider.System.GetUtcNow().AddDays(-3)), TimeProvider.System.GetUtcNow()), TestContext.Current.CancellationToken);
        await Eventually.HoldsAsync(async () => await probe.DossierAsync(code) is { Stage: DossierStage.Routed }, TimeSpan.FromSeconds(30), () => "the pushed dossier was not routed");
        var cityCode = (await probe.DossierAsync(code))!.CityCode!;

        using var construction = hub.ClientWith(keys.Token(["department:SXD"]));
        var foreign = await Report(construction, cityCode, "x1", "inProcessing", TimeProvider.System.GetUtcNow(), department: "SXD");
        using var stp = hub.ClientWith(keys.Token(["department:STP"]));
        var impossible = await Report(stp, cityCode, "x2", "resultReturned", TimeProvider.System.GetUtcNow());

        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, impossible.StatusCode);
        var problem = (await impossible.Content.ReadFromJsonAsync<JsonObject>(TestContext.Current.CancellationToken))!;
        Assert.Equal("/problems/invalid-transition", (string?)problem["type"]);
        Assert.Contains("2 (accepted)", (string?)problem["detail"], StringComparison.Ordinal);
        Assert.Contains("10 (resultReturned)", (string?)problem["detail"], StringComparison.Ordinal);
        Assert.Equal(Schemas.DossierStatus.Accepted, (await probe.DossierAsync(code))!.Progress!.Status);
    }

    private static DateOnly WorkingDayBefore(DateTimeOffset instant)
    {
        var day = VietnamTime.DateOf(instant);
        while (!ReferenceDataFiles.Default.Calendar.IsWorkingDay(day))
        {
            day = day.AddDays(-1);
        }

        return day;
    }

    private static Task<HttpResponseMessage> Report(HttpClient client, string cityCode, string reportId, string status, DateTimeOffset at, string department = "STP") =>
        client.PostAsJsonAsync(new Uri($"/api/departments/{department}/dossiers/{cityCode}/status", UriKind.Relative), new
        {
            reportId,
            status,
            officer = new { name = "Lê Thu Hà", title = "Chuyên viên" },
            unit = "Phòng Hành chính tư pháp",
            action = "Cập nhật tiến độ",
            reason = status == "supplementRequested" ? "Thiếu bản sao giấy khai sinh" : null,
            occurredAt = at,
        });

    private static List<(string Status, string ChangedAt)> Syncs(IReadOnlyList<LoggedRequest> requests, string code) =>
        [.. requests.Where(r => r.Path.EndsWith("/DongBoHoSoMC", StringComparison.Ordinal))
            .SelectMany(r => r.Json()["data"]!.AsArray())
            .Where(d => (string?)d!["MaHoSo"] == code)
            .Select(d => ((string)d!["TrangThaiHoSo"]!, (string)d["ThoiDiemCapNhat"]!))];

    /// <summary>The progress records the portal received for the dossier.</summary>
    private static List<JsonNode?> Progress(IReadOnlyList<LoggedRequest> requests, string code) =>
        [.. requests.Where(r => r.Path.EndsWith("/CapNhatTienDoHoSoMC", StringComparison.Ordinal))
            .SelectMany(r => r.Json()["data"]!.AsArray())
            .Where(d => (string?)d!["MaHoSo"] == code)];
}
