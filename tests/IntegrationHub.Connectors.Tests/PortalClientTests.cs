using System.Globalization;
using IntegrationHub.Core.Gateways;
using IntegrationHub.Schemas;

namespace IntegrationHub.Connectors.Tests;

[Trait("Category", "Contract")]
public sealed class PortalClientTests(StandInsFixture standIns) : IClassFixture<StandInsFixture>
{
    private const string Feed = "/dvcqg/api/LayDanhSachHoSoMoi";
    private const string Sync = "/dvcqg/api/DongBoHoSoMC";
    private const string Progress = "/dvcqg/api/CapNhatTienDoHoSoMC";
    private const string Lookup = "/dvcqg/api/TraCuuHoSo";

    private static readonly DateTimeOffset Noon = new(2025, 3, 4, 12, 0, 0, TimeSpan.FromHours(7));

    [Fact]
    public async Task ListSubmissions_FromTheStart_FirstPageMappedWithTheNextCursor()
    {
        using var scope = standIns.CreateScope();
        await using var host = ConnectorHost.Create(scope);

        var page = await host.Portal.ListSubmissionsAsync(null, 20, CancellationToken.None);

        Assert.Equal(20, page.Items.Count);
        Assert.Equal("20", page.NextCursor);
        Assert.True(page.HasMore);
        var first = StandInData.Submissions[0];
        var submission = page.Items[0].Submission!;
        Assert.Equal((string?)first["MaHoSo"], submission.PortalCode);
        Assert.Equal((string?)first["MaTTHC"], submission.ProcedureCode);
        Assert.Equal((string?)first["ChuHoSo"], submission.Applicant.Name);
        Assert.Equal((string?)first["SoGiayToChuHoSo"], submission.Applicant.IdNumber);
        Assert.Equal(DateTimeOffset.ParseExact((string)first["NgayNopHoSo"]!, "yyyyMMddHHmmss", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal).AddHours(-7), submission.SubmittedAt);
        Assert.Equal(TimeSpan.FromHours(7), submission.SubmittedAt.Offset);

        var request = Assert.Single(scope.Requests(Feed));
        var body = request.Json();
        Assert.Equal("LayDanhSachHoSoMoi", (string?)body["service"]);
        Assert.Equal(StandInData.AgencyCode, (string?)body["madonvi"]);
        Assert.Equal(20, (int?)body["soluong"]);
        Assert.Null(body["contro"]);
        Assert.StartsWith("Bearer ", request.Header("Authorization"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListSubmissions_ItemNamingChuHoSoTwice_ThatItemUnreadableNamingItAndTheOthersRead()
    {
        using var scope = standIns.CreateScope();
        var good = StandInData.Submissions[0].ToJsonString();
        var twice = StandInData.Submissions[1].ToJsonString().Replace("\"ChuHoSo\":", "\"ChuHoSo\":\"Nguyễn Văn A\",\"ChuHoSo\":", StringComparison.Ordinal);
        scope.Stub("POST", Feed, StandInReply.WithText(200, $$"""{"error_code":"0","message":"Thành công","result":[{{good}},{{twice}}],"contro":"2","conTiep":false}"""));
        await using var host = ConnectorHost.Create(scope);

        var page = await host.Portal.ListSubmissionsAsync(null, 20, CancellationToken.None);

        Assert.Equal(2, page.Items.Count);
        Assert.NotNull(page.Items[0].Submission);
        Assert.Null(page.Items[1].Submission);
        Assert.Equal((string?)StandInData.Submissions[1]["MaHoSo"], page.Items[1].PortalCode);
        Assert.Contains("'ChuHoSo'", page.Items[1].Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListSubmissions_PagedToTheEnd_EveryItemOnceInFeedOrderWithUnreadableOnesNamed()
    {
        using var scope = standIns.CreateScope();
        await using var host = ConnectorHost.Create(scope);

        var items = new List<PortalSubmission>();
        string? cursor = null;
        SubmissionPage page;
        do
        {
            page = await host.Portal.ListSubmissionsAsync(cursor, 20, CancellationToken.None);
            items.AddRange(page.Items);
            cursor = page.NextCursor;
        }
        while (page.HasMore);

        var after = await host.Portal.ListSubmissionsAsync(cursor, 20, CancellationToken.None);
        Assert.Empty(after.Items);
        Assert.False(after.HasMore);
        Assert.Equal(cursor, after.NextCursor);

        Assert.Equal(StandInData.Submissions.Count, items.Count);
        Assert.Equal(StandInData.Submissions.Select(s => s.ToJsonString()), items.Select(i => System.Text.Json.Nodes.JsonNode.Parse(i.RawJson)!.ToJsonString()));
        foreach (var expected in StandInData.Expected)
        {
            var item = items[expected.FeedPosition - 1];
            if (expected is { Expect: "deadLetter", Stage: "intake", Reason: "unreadable" })
            {
                Assert.Null(item.Submission);
                Assert.All(expected.Fields, field => Assert.Contains($"{field}:", item.Problem, StringComparison.Ordinal));
            }
            else
            {
                Assert.Null(item.Problem);
                Assert.Equal(expected.PortalCode, item.Submission!.PortalCode);
            }
        }

        Assert.Contains(items, i => i.Problem == "NgayNopHoSo: '15/10/2025 10:00' is not a yyyyMMddHHmmss date");
        Assert.Equal(5, scope.Requests(Feed).Count);
    }

    [Fact]
    public async Task ListSubmissions_InPersonSubmission_CarriesTheBranchAndTheDigitizedDocuments()
    {
        using var scope = standIns.CreateScope();
        await using var host = ConnectorHost.Create(scope);

        var page = await host.Portal.ListSubmissionsAsync(null, 10, CancellationToken.None);

        var inPerson = page.Items.Select(i => i.Submission).First(s => s?.Channel == Channel.InPerson)!;
        Assert.Contains(inPerson.ReceivingBranch, new[] { "TAYHO", "CAUGIAY" });
        Assert.NotEmpty(inPerson.Documents);
        Assert.All(inPerson.Documents, d => Assert.True(d.Digitized));
        Assert.NotNull(inPerson.Applicant.BirthDate);
        Assert.NotNull(inPerson.Applicant.Sex);
    }

    [Fact]
    public async Task SyncDossier_DossierThePortalHas_InsertAnsweredAlreadyExistsThenUpdateTwoRequests()
    {
        using var scope = standIns.CreateScope();
        await using var host = ConnectorHost.Create(scope);
        var portalCode = (string)StandInData.Submissions[0]["MaHoSo"]!;

        var outcome = await host.Portal.SyncDossierAsync(Change(portalCode, DossierStatus.Accepted), CancellationToken.None);

        Assert.Equal(PortalSyncOutcome.Updated, outcome);
        var requests = scope.Requests(Sync);
        Assert.Equal(2, requests.Count);
        Assert.Equal("False", (string?)requests[0].Json()["isUpdating"]);
        Assert.Equal("True", (string?)requests[1].Json()["isUpdating"]);
        var dossier = requests[1].Json()["data"]![0]!;
        Assert.Equal(portalCode, (string?)dossier["MaHoSo"]);
        Assert.Equal("000.00.00.H26-250304-0007", (string?)dossier["MaHoSoTinh"]);
        Assert.Equal("2", (string?)dossier["TrangThaiHoSo"]);
        Assert.Equal("20250304120000", (string?)dossier["ThoiDiemCapNhat"]);
        Assert.Equal("20250304120000", (string?)dossier["NgayTiepNhan"]);
        Assert.Equal("20250318120000", (string?)dossier["NgayHenTra"]);
    }

    [Fact]
    public async Task SyncDossier_DossierThePortalLacks_InsertedWithOneRequest()
    {
        using var scope = standIns.CreateScope();
        await using var host = ConnectorHost.Create(scope);

        var outcome = await host.Portal.SyncDossierAsync(Change("000.00.00.H26-250304-0099", DossierStatus.Accepted), CancellationToken.None);

        Assert.Equal(PortalSyncOutcome.Inserted, outcome);
        Assert.Single(scope.Requests(Sync));
    }

    [Fact]
    public async Task SyncDossier_PortalAnswers400WithItsCode_RejectedWithThatCodeAndNotRetried()
    {
        using var scope = standIns.CreateScope();
        scope.Fail("POST", Sync, StandInFaults.Rejected400);
        await using var host = ConnectorHost.Create(scope);

        var error = await Assert.ThrowsAsync<GatewayException>(() =>
            host.Portal.SyncDossierAsync(Change((string)StandInData.Submissions[0]["MaHoSo"]!, DossierStatus.InProcessing), CancellationToken.None));

        Assert.Equal(GatewayFailure.Rejected, error.Failure);
        Assert.Equal("portal", error.System);
        Assert.Equal("SyncDossier", error.Operation);
        Assert.Equal("108", error.ErrorCode);
        Assert.Contains("Mã tỉnh không đúng", error.Message, StringComparison.Ordinal);
        Assert.Single(scope.Requests(Sync));
        Assert.Equal(1, host.Count(ConnectorTelemetry.Refusals, ("system", "portal"), ("operation", "SyncDossier"), ("error_code", "108")));
    }

    [Fact]
    public async Task PushProgress_TwentyThreeRecords_SentInBatchesOfTen()
    {
        using var scope = standIns.CreateScope();
        await using var host = ConnectorHost.Create(scope);
        var portalCode = (string)StandInData.Submissions[0]["MaHoSo"]!;
        var records = Enumerable.Range(0, 23).Select(i => Step(Noon.AddMinutes(i), $"Bước xử lý {i + 1}")).ToList();

        await host.Portal.PushProgressAsync(portalCode, records, CancellationToken.None);

        var requests = scope.Requests(Progress);
        Assert.Equal([10, 10, 3], requests.Select(r => r.Json()["data"]!.AsArray().Count));
        var first = requests[0].Json()["data"]![0]!;
        Assert.Equal("CapNhatTienDoHoSoMC", (string?)requests[0].Json()["service"]);
        Assert.Equal(portalCode, (string?)first["MaHoSo"]);
        Assert.Equal("Nguyễn Văn Hùng", (string?)first["NguoiXuLy"]);
        Assert.Equal("Chuyên viên", (string?)first["ChucDanh"]);
        Assert.Equal("Phòng Hành chính - Tư pháp", (string?)first["PhongBanXuLy"]);
        Assert.Equal("Bước xử lý 1", (string?)first["NoiDungXuLy"]);
        Assert.Equal("4", (string?)first["TrangThai"]);
        Assert.Equal("20250304120000", (string?)first["ThoiDiemXuLy"]);
        Assert.Equal("20250311120000", (string?)first["NgayKetThucTheoQuyDinh"]);
    }

    [Fact]
    public async Task PushProgress_BatchLargerThanThePortalTakes_RejectedWithItsCode()
    {
        using var scope = standIns.CreateScope();
        await using var host = ConnectorHost.Create(scope, s => s["Connectors:Portal:ProgressBatchSize"] = "25");
        var records = Enumerable.Range(0, 25).Select(i => Step(Noon.AddMinutes(i), "Thẩm định")).ToList();

        var error = await Assert.ThrowsAsync<GatewayException>(() =>
            host.Portal.PushProgressAsync((string)StandInData.Submissions[0]["MaHoSo"]!, records, CancellationToken.None));

        Assert.Equal(GatewayFailure.Rejected, error.Failure);
        Assert.Equal("500", error.ErrorCode);
        Assert.Single(scope.Requests(Progress));
    }

    [Fact]
    public async Task PushProgress_SecondBatchRefused_ErrorSaysHowManyWereAdded()
    {
        using var scope = standIns.CreateScope();
        await using var host = ConnectorHost.Create(scope);
        // The first record of the second batch has no valid status, which the portal refuses.
        var records = Enumerable.Range(0, 15).Select(i => Step(Noon.AddMinutes(i), "Thẩm định") with { Status = i == 10 ? 0 : DossierStatus.InProcessing }).ToList();

        var error = await Assert.ThrowsAsync<GatewayException>(() =>
            host.Portal.PushProgressAsync((string)StandInData.Submissions[0]["MaHoSo"]!, records, CancellationToken.None));

        Assert.Equal(GatewayFailure.Rejected, error.Failure);
        Assert.Equal("302", error.ErrorCode);
        Assert.Contains("10 of 15 records were added", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, scope.Requests(Progress).Count);
    }

    [Fact]
    public async Task Lookup_DossierOfTheFeed_StatusAndItsProgressRecord()
    {
        using var scope = standIns.CreateScope();
        await using var host = ConnectorHost.Create(scope);
        var item = StandInData.Submissions[0];

        var view = await host.Portal.LookupAsync((string)item["MaHoSo"]!, CancellationToken.None);

        Assert.NotNull(view);
        Assert.Equal(DossierStatus.NewlyRegistered, view.Status);
        Assert.Null(view.DueAt);
        var step = Assert.Single(view.Progress);
        Assert.Equal(DossierStatus.NewlyRegistered, step.Status);
        Assert.Equal((string)item["NgayNopHoSo"]!, step.At.ToOffset(TimeSpan.FromHours(7)).ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture));
        var body = Assert.Single(scope.Requests(Lookup)).Json();
        Assert.Equal("TraCuuHoSo", (string?)body["service"]);
        Assert.Equal((string)item["MaHoSo"]!, (string?)body["mahoso"]);
    }

    [Fact]
    public async Task Lookup_UnknownDossier_Null()
    {
        using var scope = standIns.CreateScope();
        await using var host = ConnectorHost.Create(scope);

        Assert.Null(await host.Portal.LookupAsync("G22.99-250101-999999", CancellationToken.None));
    }

    [Fact]
    public async Task Lookup_RecordWithAnUnreadableDate_MalformedReplyNamingTheFieldNotRetried()
    {
        using var scope = standIns.CreateScope();
        await using var host = ConnectorHost.Create(scope);
        var bad = StandInData.Submissions.First(s => (string?)s["NgayNopHoSo"] == "15/10/2025 10:00");

        var error = await Assert.ThrowsAsync<GatewayException>(() => host.Portal.LookupAsync((string)bad["MaHoSo"]!, CancellationToken.None));

        Assert.Equal(GatewayFailure.MalformedReply, error.Failure);
        Assert.Equal("Lookup", error.Operation);
        Assert.Equal("$.result.QuaTrinhXuLy[0].ThoiDiemXuLy", error.Field);
        Assert.Single(scope.Requests(Lookup));
    }

    [Fact]
    public async Task ListProcedures_TheCatalogueOfFiftyProcedures()
    {
        using var scope = standIns.CreateScope();
        await using var host = ConnectorHost.Create(scope);

        var procedures = await host.Portal.ListProceduresAsync(CancellationToken.None);

        Assert.Equal(50, procedures.Count);
        var judicial = Assert.Single(procedures, p => p.Code == "1.010819");
        Assert.Equal("LLTP", judicial.FieldCode);
        Assert.StartsWith("Cấp Phiếu lý lịch tư pháp", judicial.Name, StringComparison.Ordinal);
    }

    private static SyncPortalStatus Change(string portalCode, DossierStatus status) => new()
    {
        PortalCode = portalCode,
        CityCode = "000.00.00.H26-250304-0007",
        Status = status,
        ChangedAt = Noon,
        DueAt = Noon.AddDays(14),
        Progress = [Step(Noon, "Tiếp nhận hồ sơ")],
    };

    private static ProgressRecord Step(DateTimeOffset at, string action) => new()
    {
        Actor = "Nguyễn Văn Hùng",
        Title = "Chuyên viên",
        Unit = "Phòng Hành chính - Tư pháp",
        Action = action,
        Status = DossierStatus.InProcessing,
        At = at,
        DueAt = at.AddDays(7),
    };
}
