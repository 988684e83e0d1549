using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using IntegrationHub.StandIns.Http;
using WireMock;

namespace IntegrationHub.StandIns.Systems;

/// <summary>
/// The National Public Service Portal's services (<c>POST /dvcqg/api/{service}</c>, the body naming
/// the service and the agency code <c>madonvi</c>): the feed of new submissions, paged by a cursor
/// (the number of items listed so far); the sync of a dossier (insert, or update with
/// <c>isUpdating</c>); progress records; the lookup of a dossier; the procedure catalogue. The bulk
/// feed goes to its own agency code only. The portal keeps no state: what the hub sent is read from
/// the request log.
/// </summary>
internal sealed partial class PortalStandIn(StandInFiles data)
{
    private const int ProgressBatchLimit = 20;

    public IResponseMessage? Answer(IRequestMessage request)
    {
        var body = request.JsonBody();
        var agency = body?["madonvi"].Text();
        if (request.Method == "POST" && agency is not null && !AgencyCode().IsMatch(agency))
        {
            return Replies.Error(400, "106", "Mã đơn vị (madonvi) không đúng");
        }

        var service = request.Path[StandInSystems.Portal.ApiPath.Length..];
        if (request.Method != "POST" || !ApiGate.HasBearer(request) || body is null || body["service"].Text() != service)
        {
            return null;
        }

        var agencyOk = agency is not null;
        return service switch
        {
            "LayDanhSachHoSoMoi" => ListNew(body, agency, agencyOk),
            "DongBoHoSoMC" => Sync(body, agencyOk),
            "CapNhatTienDoHoSoMC" => Progress(body, agencyOk),
            "TraCuuHoSo" when agencyOk => Lookup(body),
            "LayDanhSachTTHC" when agencyOk => Replies.Bytes(200, data.Procedures),
            _ => null,
        };
    }

    private IResponseMessage? ListNew(JsonObject body, string? agency, bool agencyOk)
    {
        var size = body["soluong"].Text();
        var cursor = body["contro"].Text();
        if (agency == data.BulkAgencyCode && ListBulk(size, cursor) is { } bulk)
        {
            return bulk;
        }

        if (!agencyOk)
        {
            return null;
        }

        if (Page(data.Feed, size, cursor) is { } page)
        {
            return Replies.Bytes(200, page);
        }

        if (cursor == data.Feed.Total.ToString(CultureInfo.InvariantCulture))
        {
            return NothingNew(data.Feed.Total);
        }

        if (size is not null && !data.Feed.Sizes.Any(s => s.ToString(CultureInfo.InvariantCulture) == size))
        {
            return Replies.Error(400, "302", $"soluong phải là một trong {string.Join(", ", data.Feed.Sizes)}");
        }

        return cursor is null ? null : Replies.Error(400, "302", "Con trỏ (contro) không hợp lệ");
    }

    /// <summary>The bulk feed: one page size; a size it does not serve is named before the end of the feed is.</summary>
    private IResponseMessage? ListBulk(string? size, string? cursor)
    {
        var pageSize = data.Bulk.Sizes.Single().ToString(CultureInfo.InvariantCulture);
        if (size is not null && size != pageSize)
        {
            return Replies.Error(400, "302", $"soluong phải là {pageSize}");
        }

        if (cursor == data.Bulk.Total.ToString(CultureInfo.InvariantCulture))
        {
            return NothingNew(data.Bulk.Total);
        }

        return Page(data.Bulk, size, cursor) is { } page ? Replies.Bytes(200, page) : null;
    }

    /// <summary>The page of that size after that cursor: no cursor is the start; a cursor is written as the number it is.</summary>
    private static byte[]? Page(StandInFiles.FeedPages feed, string? size, string? cursor)
    {
        if (!int.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count.ToString(CultureInfo.InvariantCulture) != size)
        {
            return null;
        }

        if (cursor is null)
        {
            return feed.Page(count, 0);
        }

        return int.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var from) && from > 0 && from.ToString(CultureInfo.InvariantCulture) == cursor
            ? feed.Page(count, from)
            : null;
    }

    private static IResponseMessage NothingNew(int total) => Replies.Json(200, new JsonObject
    {
        ["error_code"] = "0",
        ["message"] = "Không có hồ sơ mới",
        ["result"] = new JsonArray(),
        ["contro"] = total.ToString(CultureInfo.InvariantCulture),
        ["conTiep"] = false,
    });

    /// <summary>
    /// Insert (<c>isUpdating</c> "False") answers <c>-1</c> "… đã tồn tại" for a dossier the portal has, so
    /// the hub updates instead; update ("True") answers 201 for one it does not have.
    /// </summary>
    private IResponseMessage? Sync(JsonObject body, bool agencyOk)
    {
        var updating = body["isUpdating"].Text();
        var dossier = body.Item("data", 0);
        var code = dossier?["MaHoSo"].Text();
        var stated = Matches(Status(), dossier?["TrangThaiHoSo"]) && Matches(Instant(), dossier?["ThoiDiemCapNhat"]);
        if (StandInFiles.IsBulkCode(code) && stated && updating is "False" or "True")
        {
            return updating == "False" ? AlreadyThere(code!) : Replies.Error(200, "0", "Cập nhật hồ sơ thành công");
        }

        if (!agencyOk)
        {
            return null;
        }

        var wellFormed = code is not null && stated
            && OptionalInstant(dossier!["NgayHenTra"]) && OptionalInstant(dossier["NgayTiepNhan"]) && OptionalInstant(dossier["NgayTra"]);
        return (wellFormed, updating, data.PortalHas(code)) switch
        {
            (true, "False", true) => AlreadyThere(code!),
            (true, "False", false) => Replies.Error(200, "0", "Thêm mới hồ sơ thành công"),
            (true, "True", true) => Replies.Error(200, "0", "Cập nhật hồ sơ thành công"),
            (true, "True", false) => Replies.Error(200, "201", $"Không tìm thấy hồ sơ {code} để cập nhật"),
            _ => Replies.Error(400, "302", "Dữ liệu hồ sơ không hợp lệ: isUpdating, MaHoSo, TrangThaiHoSo (1–10) và các ngày yyyyMMddHHmmss là bắt buộc"),
        };
    }

    private static IResponseMessage AlreadyThere(string code) =>
        Replies.Error(200, "-1", $"Hồ sơ {code} đã tồn tại trên Cổng Dịch vụ công quốc gia");

    /// <summary>Progress records in batches of at most 20; the first record says whose dossier it is and is checked.</summary>
    private IResponseMessage? Progress(JsonObject body, bool agencyOk)
    {
        if (agencyOk && body.Item("data", ProgressBatchLimit) is not null)
        {
            return Replies.Error(400, "500", $"Mỗi lần gửi tối đa {ProgressBatchLimit} bản ghi tiến độ");
        }

        var first = body.Item("data", 0);
        var code = first?["MaHoSo"].Text();
        var recorded = first?["NguoiXuLy"].Text() is not null && first["NoiDungXuLy"].Text() is not null
            && Matches(Instant(), first["ThoiDiemXuLy"]) && Matches(Status(), first["TrangThai"]);
        if (StandInFiles.IsBulkCode(code) && recorded)
        {
            return Replies.Error(200, "0", "Cập nhật tiến độ hồ sơ thành công");
        }

        if (!agencyOk)
        {
            return null;
        }

        if (data.PortalHas(code) && recorded && OptionalInstant(first!["NgayKetThucTheoQuyDinh"]))
        {
            return Replies.Error(200, "0", "Cập nhật tiến độ hồ sơ thành công");
        }

        return code is not null && !data.PortalHas(code)
            ? Replies.Error(200, "201", $"Không tìm thấy hồ sơ {code}")
            : Replies.Error(400, "302", "Dữ liệu tiến độ không hợp lệ: MaHoSo, NguoiXuLy, NoiDungXuLy, ThoiDiemXuLy (yyyyMMddHHmmss) và TrangThai là bắt buộc");
    }

    /// <summary>A dossier of the feed with its submission as the one progress record; 201 for any other code.</summary>
    private IResponseMessage? Lookup(JsonObject body)
    {
        var code = body["mahoso"].Text();
        if (code is null)
        {
            return null;
        }

        return data.Dossiers.TryGetValue(code, out var dossier)
            ? Replies.Bytes(200, dossier)
            : Replies.Error(200, "201", "Không tìm thấy hồ sơ");
    }

    private static bool Matches(Regex pattern, JsonNode? value) => value.Text() is { } text && pattern.IsMatch(text);

    private static bool OptionalInstant(JsonNode? value) => value.Text() is not { } text || Instant().IsMatch(text);

    [GeneratedRegex(@"^[0-9]{3}\.[0-9]{2}\.[0-9]{2}\.[A-Z][0-9]{2}$", RegexOptions.CultureInvariant)]
    private static partial Regex AgencyCode();

    [GeneratedRegex("^[0-9]{14}$", RegexOptions.CultureInvariant)]
    internal static partial Regex Instant();

    [GeneratedRegex("^([1-9]|10)$", RegexOptions.CultureInvariant)]
    private static partial Regex Status();
}
