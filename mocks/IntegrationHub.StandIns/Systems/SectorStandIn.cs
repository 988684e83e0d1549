using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using IntegrationHub.StandIns.Http;
using WireMock;

namespace IntegrationHub.StandIns.Systems;

/// <summary>
/// A sector system (land registration, business registration): <c>POST …/api/TiepNhanHoSo</c>
/// receives a dossier of its departments under the <c>Idempotency-Key</c> (the city code) and
/// answers a receipt derived from the key, so a repeat gets the same receipt;
/// <c>GET …/api/TraCuuTrangThai?maBienNhan=</c> answers "in processing" (4) for any of its receipts.
/// </summary>
/// <param name="system">Where it lives.</param>
/// <param name="profile">Its receipts, departments and officer.</param>
/// <param name="time">Its clock, for the times it stamps.</param>
internal sealed class SectorStandIn(StandInSystem system, SectorProfile profile, TimeProvider time)
{
    private static readonly string[] Required = ["MaHoSo", "MaHoSoQuocGia", "MaTTHC", "ChuHoSo", "SoGiayToChuHoSo"];

    public static SectorStandIn Land(TimeProvider time) => new(StandInSystems.Land, new SectorProfile(
        "VPDK", ["VPDKDD"], "Văn phòng Đăng ký đất đai Hà Nội", "Phạm Thu Hà", "Phòng Đăng ký và Cấp giấy chứng nhận"), time);

    public static SectorStandIn Business(TimeProvider time) => new(StandInSystems.Business, new SectorProfile(
        "DKKD", ["SKHDT", "STC"], "Hệ thống thông tin quốc gia về đăng ký doanh nghiệp", "Đỗ Minh Quân", "Phòng Đăng ký kinh doanh"), time);

    public IResponseMessage? Answer(IRequestMessage request)
    {
        if (!ApiGate.HasBearer(request))
        {
            return null;
        }

        return (request.Method, request.Path[system.ApiPath.Length..]) switch
        {
            ("POST", "TiepNhanHoSo") => Receive(request),
            ("GET", "TraCuuTrangThai") => Status(request.Query("maBienNhan")),
            _ => null,
        };
    }

    private IResponseMessage Receive(IRequestMessage request)
    {
        var key = request.Header("Idempotency-Key");
        if (key is null)
        {
            return Replies.Error(400, "200", "Thiếu tiêu đề Idempotency-Key (mã hồ sơ của thành phố)");
        }

        var body = request.JsonBody();
        var department = body?["MaDonViXuLy"].Text();
        var complete = Required.All(f => body?[f].Text() is not null)
            && department is not null && profile.Departments.Contains(department)
            && IsInstant(body?["NgayTiepNhan"]) && IsInstant(body?["NgayHenTra"]);
        if (key.Length > 0 && complete)
        {
            return Replies.Json(200, new JsonObject
            {
                ["error_code"] = "0",
                ["message"] = $"{profile.Name}: tiếp nhận hồ sơ thành công",
                ["data"] = new JsonObject { ["MaBienNhan"] = $"{profile.ReceiptPrefix}-{key}", ["ThoiDiemTiepNhan"] = Now() },
            });
        }

        return department is not null && !profile.Departments.Contains(department)
            ? Replies.Error(400, "106", "Hồ sơ không thuộc thẩm quyền của đơn vị")
            : Replies.Error(400, "200", "Hồ sơ thiếu thông tin bắt buộc hoặc sai định dạng ngày (yyyyMMddHHmmss)");
    }

    private IResponseMessage Status(string? receipt)
    {
        var prefix = $"{profile.ReceiptPrefix}-";
        if (receipt is null || receipt.Length <= prefix.Length || !receipt.StartsWith(prefix, StringComparison.Ordinal))
        {
            return Replies.Error(200, "201", "Không tìm thấy hồ sơ theo mã biên nhận");
        }

        return Replies.Json(200, new JsonObject
        {
            ["error_code"] = "0",
            ["message"] = "Tra cứu trạng thái thành công",
            ["data"] = new JsonObject
            {
                ["MaBienNhan"] = receipt,
                ["MaHoSo"] = receipt[prefix.Length..],
                ["TrangThaiHoSo"] = "4",
                ["NguoiXuLy"] = profile.Officer,
                ["PhongBanXuLy"] = profile.Unit,
                ["NoiDungXuLy"] = "Đang thẩm định hồ sơ",
                ["ThoiDiemXuLy"] = Now(),
            },
        });
    }

    /// <summary>Now in Vietnam time (UTC+7, no daylight saving), as the systems write it.</summary>
    private string Now() => time.GetUtcNow().ToOffset(TimeSpan.FromHours(7)).ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);

    private static bool IsInstant(JsonNode? value) => value.Text() is { } text && PortalStandIn.Instant().IsMatch(text);
}

/// <summary>What tells one sector system's answers apart.</summary>
/// <param name="ReceiptPrefix">Its receipts are <c>{prefix}-{city code}</c>.</param>
/// <param name="Departments">The departments whose dossiers it receives.</param>
/// <param name="Name">Its name, in its success message.</param>
/// <param name="Officer">The officer its status answers name.</param>
/// <param name="Unit">The unit its status answers name.</param>
internal sealed record SectorProfile(string ReceiptPrefix, IReadOnlyList<string> Departments, string Name, string Officer, string Unit);
