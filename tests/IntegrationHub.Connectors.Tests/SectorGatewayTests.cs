using IntegrationHub.Core.Gateways;
using IntegrationHub.Schemas;
using Microsoft.Extensions.Time.Testing;

namespace IntegrationHub.Connectors.Tests;

[Trait("Category", "Contract")]
public sealed class SectorGatewayTests(StandInsFixture standIns) : IClassFixture<StandInsFixture>
{
    private const string LandDelivery = "/vpdkdd/api/TiepNhanHoSo";

    [Fact]
    public async Task Deliver_LandDossier_TheLandOfficesReceiptForTheCityCode()
    {
        // The land office's own clock stamps the receipt: a stand-in of its own, on a fixed clock.
        var landOfficeClock = new FakeTimeProvider(new DateTimeOffset(2025, 1, 6, 10, 7, 31, TimeSpan.FromHours(7)));
        await using var landOffice = StandInServer.Start(new StandInOptions { TimeProvider = landOfficeClock });
        using var scope = landOffice.CreateScope();
        await using var host = ConnectorHost.Create(scope);

        var receipt = await host.Sectors.For("land")!.DeliverAsync(Land("000.00.00.H26-250106-0017"), CancellationToken.None);

        Assert.Equal("land", receipt.System);
        Assert.Equal("VPDK-000.00.00.H26-250106-0017", receipt.ReceiptId);
        Assert.Equal(landOfficeClock.GetUtcNow(), receipt.AcceptedAt);
        var request = Assert.Single(scope.Requests(LandDelivery));
        Assert.Equal("000.00.00.H26-250106-0017", request.Header("Idempotency-Key"));
        var body = request.Json();
        Assert.Equal("000.00.00.H26-250106-0017", (string?)body["MaHoSo"]);
        Assert.Equal("G22.99-250106-000877", (string?)body["MaHoSoQuocGia"]);
        Assert.Equal("VPDKDD", (string?)body["MaDonViXuLy"]);
        Assert.Equal("1", (string?)body["KenhThucHien"]);
        Assert.Equal("20250106100500", (string?)body["NgayTiepNhan"]);
        Assert.Equal("20250120100500", (string?)body["NgayHenTra"]);
        Assert.Equal("NgayLamViec", (string?)body["LoaiNgayGiaiQuyet"]);
        Assert.Equal("2024-12-01", (string?)body["PhienBanBangDinhTuyen"]);
        Assert.Equal("TD-88213", (string?)body["TaiLieuNop"]![0]!["TepDinhKemId"]);
        Assert.Equal(200000m, (decimal?)body["DanhSachLePhi"]![0]!["Gia"]);
    }

    [Fact]
    public async Task Deliver_SameDossierTwice_SameReceiptAndBothRequestsCarryTheKey()
    {
        using var scope = standIns.CreateScope();
        await using var host = ConnectorHost.Create(scope);
        var land = host.Sectors.For("land")!;

        var first = await land.DeliverAsync(Land("000.00.00.H26-250106-0018"), CancellationToken.None);
        var second = await land.DeliverAsync(Land("000.00.00.H26-250106-0018"), CancellationToken.None);

        Assert.Equal(first.ReceiptId, second.ReceiptId);
        Assert.All(scope.Requests(LandDelivery), r => Assert.Equal("000.00.00.H26-250106-0018", r.Header("Idempotency-Key")));
    }

    [Fact]
    public async Task Deliver_After503_RetriedBecauseTheCityCodeIsItsIdempotencyKey()
    {
        using var scope = standIns.CreateScope();
        scope.Fail("POST", LandDelivery, StandInFaults.Status503RetryAfter.WithoutRetryAfter(), times: 1);
        await using var host = ConnectorHost.Create(scope);

        var receipt = await host.Sectors.For("land")!.DeliverAsync(Land("000.00.00.H26-250106-0019"), CancellationToken.None);

        Assert.Equal("VPDK-000.00.00.H26-250106-0019", receipt.ReceiptId);
        Assert.Equal(2, scope.Requests(LandDelivery).Count);
    }

    [Fact]
    public async Task Deliver_DossierOfAnotherDepartment_RejectedWithTheSystemsOwnCode()
    {
        using var scope = standIns.CreateScope();
        await using var host = ConnectorHost.Create(scope);

        var error = await Assert.ThrowsAsync<GatewayException>(() =>
            host.Sectors.For("land")!.DeliverAsync(Land("000.00.00.H26-250106-0020") with { DepartmentCode = "SYT" }, CancellationToken.None));

        Assert.Equal(GatewayFailure.Rejected, error.Failure);
        Assert.Equal("land", error.System);
        Assert.Equal("Deliver", error.Operation);
        Assert.Equal("106", error.ErrorCode);
        Assert.Single(scope.Requests(LandDelivery));
    }

    [Fact]
    public async Task Deliver_BusinessDossier_TheBusinessRegistrysReceipt()
    {
        using var scope = standIns.CreateScope();
        await using var host = ConnectorHost.Create(scope);
        var dossier = Land("000.00.00.H26-250303-0004") with { ProcedureCode = "1.001612", DepartmentCode = "STC", DepartmentName = "Sở Tài chính", SectorSystem = "business", RoutingTableVersion = "2025-03-01" };

        var receipt = await host.Sectors.For("business")!.DeliverAsync(dossier, CancellationToken.None);

        Assert.Equal("business", receipt.System);
        Assert.Equal("DKKD-000.00.00.H26-250303-0004", receipt.ReceiptId);
        Assert.Single(scope.Requests("/dkkd/api/TiepNhanHoSo"));
    }

    [Fact]
    public async Task GetStatus_ReceiptOfADeliveredDossier_WhereItStands()
    {
        using var scope = standIns.CreateScope();
        await using var host = ConnectorHost.Create(scope);

        var status = await host.Sectors.For("land")!.GetStatusAsync("VPDK-000.00.00.H26-250106-0017", CancellationToken.None);

        Assert.NotNull(status);
        Assert.Equal("000.00.00.H26-250106-0017", status.CityCode);
        Assert.Equal(DossierStatus.InProcessing, status.Status);
        Assert.Equal("Phòng Đăng ký và Cấp giấy chứng nhận", status.Unit);
        Assert.Equal("Đang thẩm định hồ sơ", status.Action);
        Assert.Equal("Phạm Thu Hà", status.Officer);
        var request = Assert.Single(scope.Requests("/vpdkdd/api/TraCuuTrangThai"));
        Assert.Equal("GET", request.Method);
    }

    [Fact]
    public async Task GetStatus_UnknownReceipt_Null()
    {
        using var scope = standIns.CreateScope();
        await using var host = ConnectorHost.Create(scope);

        Assert.Null(await host.Sectors.For("land")!.GetStatusAsync("BN-0000", CancellationToken.None));
    }

    [Fact]
    public async Task For_SystemWithoutASettingsSection_NoGateway()
    {
        using var scope = standIns.CreateScope();
        await using var host = ConnectorHost.Create(scope);

        Assert.Null(host.Sectors.For("tax"));
        Assert.Equal("land", host.Sectors.For("land")!.System);
    }

    private static DossierRouted Land(string cityCode) => new()
    {
        CityCode = cityCode,
        PortalCode = "G22.99-250106-000877",
        ProcedureCode = "1.012756",
        ProcedureName = "Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất",
        DepartmentCode = "VPDKDD",
        DepartmentName = "Văn phòng Đăng ký đất đai Hà Nội",
        ReceivingBranch = "CAUGIAY",
        SectorSystem = "land",
        Channel = Channel.InPerson,
        Applicant = new Applicant { Kind = ApplicantKind.Citizen, Name = "Trần Văn Bình", IdNumber = "001085004321", BirthDate = new DateOnly(1985, 2, 3) },
        Summary = "Đăng ký biến động do chuyển nhượng quyền sử dụng đất",
        ReceivedAt = new DateTimeOffset(2025, 1, 6, 10, 5, 0, TimeSpan.FromHours(7)),
        DueAt = new DateTimeOffset(2025, 1, 20, 10, 5, 0, TimeSpan.FromHours(7)),
        Resolution = new ResolutionTime { Days = 10, Kind = ResolutionKind.WorkingDays },
        RoutingTableVersion = "2024-12-01",
        Documents = [new SubmittedDocument { Id = "TD-88213", Name = "Đơn đăng ký biến động đất đai", ComponentCode = "TP01", Digitized = true }],
        Fees = [new Fee { Code = "LPDKBD", Name = "Lệ phí đăng ký biến động", Amount = 200000m }],
    };
}
