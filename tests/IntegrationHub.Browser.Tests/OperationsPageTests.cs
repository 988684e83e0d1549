using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using IntegrationHub.Core;
using IntegrationHub.Core.Routing;
using IntegrationHub.EndToEnd.Tests;
using IntegrationHub.EndToEnd.Tests.Operations;
using IntegrationHub.StandIns;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace IntegrationHub.Browser.Tests;

/// <summary>
/// An operator at the operations page: signs in with a token, finds the dossier the sample feed
/// dead-lettered for an unknown procedure, has the procedure added to the catalogue, replays the
/// dossier from the page (dry run first) and sees it routed to its department. Each page is
/// photographed: into the test's output folder, and into docs/screenshots for the README when
/// HUB_UPDATE_SCREENSHOTS=1 (the embedded transport's run), so that an ordinary run leaves the work
/// tree as it was. The visit runs on the embedded transport and on the servicebus transport (against
/// a Service Bus double of its own; its pages are photographed into a folder of their own).
/// </summary>
[Trait("Category", "Browser")]
public sealed class OperationsPageTests(StandInsFixture standIns, DebianChromium chromium) : IClassFixture<StandInsFixture>, IClassFixture<DebianChromium>
{
    private static readonly string Screenshots = Environment.GetEnvironmentVariable("HUB_UPDATE_SCREENSHOTS") == "1"
        ? RepoPaths.InRepo("docs", "screenshots")
        : Path.Combine(AppContext.BaseDirectory, "screenshots");

    private string screenshots = Screenshots;

    [Theory]
    [InlineData(HubTransport.Embedded)]
    [InlineData(HubTransport.ServiceBus)]
    public async Task Operator_ReplaysADossierDeadLetteredForAnUnknownProcedure_AndSeesItRoutedToItsDepartment(string transport)
    {
        using var referenceData = new ReferenceDataCopy();
        await using var on = await HubTransport.StartAsync(transport);
        await using var testHub = TestHub.OnLoopback(standIns.Server, settings => settings["ReferenceData:Directory"] = referenceData.Directory, on);
        var (hub, keys) = (testHub.Hub, testHub.Keys);
        await FeedReconciliation.WaitUntilSettledAsync(testHub.Probe, TimeSpan.FromMinutes(3));
        var code = StandInData.Expected.Single(e => e.Expect == "deadLetter" && e.Stage == "routing" && e.ProcedureCode == "1.999999").PortalCode!;
        var other = StandInData.Expected.Single(e => e.Expect == "deadLetter" && e.Stage == "routing" && e.ProcedureCode == "2.000002").PortalCode!;
        screenshots = transport == HubTransport.Embedded ? Screenshots : Path.Combine(AppContext.BaseDirectory, "screenshots", transport);
        Directory.CreateDirectory(screenshots);

        var page = await chromium.Context.NewPageAsync();
        await page.GotoAsync(new Uri(hub.Url, "/ops/").ToString());
        await SignInAsync(page, Ops.OperatorToken(keys));
        await Expect(page.GetByTestId("overview-cards")).ToContainTextAsync("thông điệp lỗi");
        await Expect(page.GetByTestId("failure-groups")).ToContainTextAsync("RoutingFailed");
        await ShootAsync(page, "overview");

        await page.GetByRole(AriaRole.Link, new() { Name = "Thông điệp lỗi", Exact = true }).ClickAsync();
        await Expect(page.GetByTestId("dead-letters").Locator("tbody tr")).ToHaveCountAsync(7);
        await ShootAsync(page, "dead-letters");

        await page.GetByTestId("filter-text").FillAsync(code);
        await page.GetByTestId("filter-submit").ClickAsync();
        await Expect(page.GetByTestId("dead-letters").Locator("tbody tr")).ToHaveCountAsync(1);
        await page.GetByTestId("dead-letter-link").ClickAsync();
        await Expect(page.GetByTestId("description")).ToContainTextAsync("1.999999");
        Assert.EndsWith($"/ops/dead-letters/route/{Uri.EscapeDataString($"route:{code}")}", page.Url, StringComparison.Ordinal);
        await Expect(page.GetByTestId("body")).ToContainTextAsync("Đề nghị giải quyết thủ tục hành chính");
        await ShootAsync(page, "dead-letter");

        referenceData.AddProcedure("1.999999", "STP");
        await Eventually.HoldsAsync(() => Task.FromResult(hub.Get<Reloadable<ReferenceData>>().Current.Procedures.Find("1.999999") is not null), TimeSpan.FromSeconds(30), () => "the catalogue was not reloaded");

        await page.GetByTestId("replay-one").ClickAsync();
        await page.GetByTestId("replay-comment").FillAsync("Đã bổ sung thủ tục 1.999999 vào danh mục; gửi lại hồ sơ");
        await page.GetByTestId("replay-dry-run").ClickAsync();
        await Expect(page.GetByTestId("replay-plan")).ToContainTextAsync("route/$deadletterqueue");
        await ShootAsync(page, "replay-dry-run");
        await page.GetByTestId("replay-start").ClickAsync();
        await Expect(page.GetByTestId("job-status")).ToHaveAttributeAsync("data-status", "completed", new() { Timeout = 30_000 });
        await Expect(page.GetByTestId("job-progress")).ToHaveTextAsync("1/1");
        await ShootAsync(page, "replay-job");

        await page.GetByTestId("job-items").GetByRole(AriaRole.Link, new() { Name = code }).ClickAsync();
        await Expect(page.GetByTestId("dossier-stage")).ToHaveTextAsync("Đã chuyển đơn vị giải quyết", new() { Timeout = 30_000 });
        await Expect(page.GetByTestId("dossier-department")).ToHaveTextAsync("STP");
        await Expect(page.GetByTestId("timeline")).ToContainTextAsync(Ops.OperatorName);
        await Expect(page.GetByTestId("timeline")).ToContainTextAsync("Sở Tư pháp");
        await ShootAsync(page, "dossier");

        var paused = await PauseADossierForSupplementsAsync(hub, keys);
        await page.GetByRole(AriaRole.Link, new() { Name = "Hạn xử lý" }).ClickAsync();
        await Expect(page.GetByTestId("overdue")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("paused")).ToContainTextAsync(paused);
        await ShootAsync(page, "deadlines");
        await page.GetByRole(AriaRole.Link, new() { Name = "Kết nối" }).ClickAsync();
        await Expect(page.GetByTestId("circuits").Locator("tbody tr")).ToHaveCountAsync(4);
        await Expect(page.GetByTestId("readiness")).ToContainTextAsync("Sẵn sàng");
        await ShootAsync(page, "connectors");
        await page.GetByRole(AriaRole.Link, new() { Name = "Nhật ký thao tác" }).ClickAsync();
        await Expect(page.GetByTestId("audit").Locator("tbody tr[data-action='replay']")).ToHaveCountAsync(1);
        await Expect(page.GetByTestId("audit").Locator("tbody tr[data-action='dryRun']")).ToHaveCountAsync(1);
        await ShootAsync(page, "audit");
        await page.CloseAsync();

        await AuditChecks.AssertSealedAndIntactAsync(testHub.Probe, testHub.Settings, TimeSpan.FromMinutes(1));
        var auditor = await chromium.Context.NewPageAsync();
        await auditor.GotoAsync(new Uri(hub.Url, "/ops/").ToString());
        await SignInAsync(auditor, keys.Token(["ops", "auditor"], subject: "kiemtoan01", name: "Phạm Văn Kiểm", unit: "Thanh tra thành phố"), "Phạm Văn Kiểm");
        await Expect(auditor.GetByTestId("integrity-card")).ToContainTextAsync("điểm kiểm đã ký");
        await auditor.GetByTestId("integrity-card").ClickAsync();
        await Expect(auditor.GetByTestId("summary")).ToContainTextAsync("entries in 3 chains, intact up to checkpoint", new() { Timeout = 30_000 });
        await Expect(auditor.GetByTestId("chains").Locator("tbody tr")).ToHaveCountAsync(3);
        await Expect(auditor.GetByTestId("verification")).ToContainTextAsync("Nguyên vẹn");
        await ShootAsync(auditor, "integrity");
        var download = await auditor.RunAndWaitForDownloadAsync(() => auditor.GetByRole(AriaRole.Button, new() { Name = "Tải bản sao các điểm kiểm" }).ClickAsync());
        var exported = JsonNode.Parse(await File.ReadAllTextAsync(await download.PathAsync(), TestContext.Current.CancellationToken))!;
        Assert.Equal("integrationhub-audit-checkpoints/1", (string?)exported["format"]);
        Assert.NotEmpty(exported["checkpoints"]!.AsArray());
        await auditor.CloseAsync();

        using var ops = Ops.Operator(hub, keys);
        var otherLetter = (await ops.GetFromJsonAsync<JsonObject>(new Uri($"/api/ops/dead-letters/route/route:{other}", UriKind.Relative), TestContext.Current.CancellationToken))!;
        var deadLetteredAt = DateTimeOffset.Parse((string)otherLetter["deadLetter"]!["deadLetteredAt"]!, CultureInfo.InvariantCulture);
        var alert = await chromium.Context.NewPageAsync();
        await alert.GotoAsync(new Uri(hub.Url, $"/ops/dead-letters/route/route:{other}").ToString());
        await SignInAsync(alert, Ops.OperatorToken(keys));
        await Expect(alert.GetByTestId("message-id")).ToHaveTextAsync($"route:{other}");
        await Expect(alert.GetByTestId("description")).ToContainTextAsync("2.000002");
        await Expect(alert.GetByTestId("dead-lettered-at")).ToContainTextAsync(VietnamTime.ToLocal(deadLetteredAt).ToString("HH:mm:ss", CultureInfo.InvariantCulture));
        await alert.CloseAsync();
    }

    /// <summary>A dossier pushed by the portal an hour ago, taken up by the Department of Justice, which asks for supplementary documents.</summary>
    private static async Task<string> PauseADossierForSupplementsAsync(InProcessHub hub, TestKeys keys)
    {
        var code = $"G22.99-OPS-{Guid.NewGuid():N}"[..30];
        var justice = StandInData.Expected.First(e => e.Expect == "accepted" && e.Department == "STP");
        var now = TimeProvider.System.GetUtcNow();
        using var portal = hub.ClientWith(keys.Token(["portal"], subject: "dvcqg"));
        (await portal.SendAsync(PortalPush.Signed(PortalPush.Dossier(justice.FeedPosition, code, now.AddHours(-1)), now))).EnsureSuccessStatusCode();
        var probe = HubProbe.Of(hub);
        await Eventually.HoldsAsync(async () => await probe.DossierAsync(code) is { Stage: Core.Store.DossierStage.Routed }, TimeSpan.FromSeconds(30), () => "the pushed dossier was not routed");
        var cityCode = (await probe.DossierAsync(code))!.CityCode!;
        using var justiceDepartment = hub.ClientWith(keys.Token(["department:STP"], subject: "stp-officer"));
        foreach (var (id, status) in new[] { ("r1", "inProcessing"), ("r2", "supplementRequested") })
        {
            var report = await justiceDepartment.PostAsJsonAsync(new Uri($"/api/departments/STP/dossiers/{cityCode}/status", UriKind.Relative), new
            {
                reportId = id,
                status,
                officer = new { name = "Lê Thu Hà", title = "Chuyên viên" },
                unit = "Phòng Hành chính tư pháp",
                action = "Cập nhật tiến độ",
                reason = status == "supplementRequested" ? "Thiếu bản sao giấy khai sinh" : null,
            });
            report.EnsureSuccessStatusCode();
        }

        return code;
    }

    private static async Task SignInAsync(IPage page, string token, string name = Ops.OperatorName)
    {
        await page.GetByTestId("token-input").FillAsync(token);
        await page.GetByTestId("sign-in-button").ClickAsync();
        await Expect(page.GetByTestId("signed-in")).ToContainTextAsync(name);
    }

    private Task ShootAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(screenshots, $"{name}.png"), FullPage = true });
}
