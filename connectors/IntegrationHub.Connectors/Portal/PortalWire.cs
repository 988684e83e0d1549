using System.Text.Json;
using System.Text.Json.Serialization;
using IntegrationHub.Connectors.Wire;

namespace IntegrationHub.Connectors.Portal;

// The portal's wire format, in its own field names (see connectors/README.md for the mapping).
// Every call is a POST of { service, madonvi, ... } to a path named after the service; replies are
// { error_code, message, result }.

/// <summary>The request envelope every portal service takes.</summary>
internal record PortalRequest
{
    [JsonPropertyName("service")]
    public required string Service { get; init; }

    [JsonPropertyName("madonvi")]
    public required string AgencyCode { get; init; }
}

/// <summary><c>LayDanhSachHoSoMoi</c>: one page of submissions after a cursor.</summary>
internal sealed record ListSubmissionsRequest : PortalRequest
{
    /// <summary>The cursor the previous page returned; absent for the first page.</summary>
    [JsonPropertyName("contro")]
    public string? Cursor { get; init; }

    [JsonPropertyName("soluong")]
    public required int PageSize { get; init; }
}

/// <summary>The reply of <c>LayDanhSachHoSoMoi</c>; items stay raw so that each is read on its own.</summary>
internal sealed record ListSubmissionsReply : WireReply
{
    [JsonPropertyName("result")]
    public List<JsonElement>? Result { get; init; }

    /// <summary>Where the next page starts.</summary>
    [JsonPropertyName("contro")]
    public string? Cursor { get; init; }

    /// <summary>Whether more items wait after this page.</summary>
    [JsonPropertyName("conTiep")]
    public bool? HasMore { get; init; }
}

/// <summary><c>DongBoHoSoMC</c>: insert (<c>isUpdating</c> "False") or update ("True") dossiers.</summary>
internal sealed record SyncDossierRequest : PortalRequest
{
    [JsonPropertyName("isUpdating")]
    public required string IsUpdating { get; init; }

    [JsonPropertyName("data")]
    public required IReadOnlyList<PortalDossierStatus> Data { get; init; }
}

/// <summary><c>CapNhatTienDoHoSoMC</c>: add progress records.</summary>
internal sealed record PushProgressRequest : PortalRequest
{
    [JsonPropertyName("data")]
    public required IReadOnlyList<PortalProgress> Data { get; init; }
}

/// <summary><c>TraCuuHoSo</c>: one dossier by its code.</summary>
internal sealed record LookupRequest : PortalRequest
{
    [JsonPropertyName("mahoso")]
    public required string PortalCode { get; init; }
}

/// <summary>A reply whose payload is under <c>result</c>.</summary>
internal sealed record PortalReply<T> : WireReply
{
    [JsonPropertyName("result")]
    public T? Result { get; init; }
}

/// <summary>A dossier as the portal lists and shows it (<c>HoSo</c>).</summary>
internal sealed record PortalDossier
{
    public string? MaHoSo { get; init; }
    public string? MaTTHC { get; init; }
    public string? TenTTHC { get; init; }
    public string? MaLinhVuc { get; init; }
    public string? TenLinhVuc { get; init; }
    public string? KenhThucHien { get; init; }
    public string? ChuHoSo { get; init; }
    public string? SoGiayToChuHoSo { get; init; }
    public string? LoaiDoiTuong { get; init; }
    public string? NgaySinhChuHoSo { get; init; }
    public string? GioiTinhChuHoSo { get; init; }
    public string? DiaChiChuHoSo { get; init; }
    public string? Email { get; init; }
    public string? SoDienThoai { get; init; }
    public string? TrichYeuHoSo { get; init; }
    public string? NgayNopHoSo { get; init; }
    public string? NgayTiepNhan { get; init; }
    public string? NgayHenTra { get; init; }
    public string? NgayTra { get; init; }
    public string? TrangThaiHoSo { get; init; }
    public string? DonViTiepNhan { get; init; }
    public string? DonViXuLy { get; init; }
    public string? GhiChu { get; init; }
    public bool? TaiKhoanDuocXacThucVoiVNeID { get; init; }
    public bool? DuocThanhToanTrucTuyen { get; init; }
    public List<PortalIdentifier>? DinhDanhCHS { get; init; }
    public List<PortalDocument>? TaiLieuNop { get; init; }
    public List<PortalFee>? DanhSachLePhi { get; init; }
    public List<PortalProgress>? QuaTrinhXuLy { get; init; }
}

/// <summary>An applicant identifier (<c>DinhDanhCHS</c>): type "1" a 12-digit ID, "2" an old 9-digit card.</summary>
internal sealed record PortalIdentifier
{
    public string? LoaiDinhDanh { get; init; }
    public string? SoDinhDanh { get; init; }
}

/// <summary>A submitted document (<c>TaiLieuNop</c>).</summary>
internal sealed record PortalDocument
{
    public string? TepDinhKemId { get; init; }
    public string? TenTepDinhKem { get; init; }
    public string? MaThanhPhanHoSo { get; init; }
    public string? DuongDanTaiTepTin { get; init; }
    public bool? DuocSoHoa { get; init; }
}

/// <summary>A fee or charge (<c>DanhSachLePhi</c>).</summary>
internal sealed record PortalFee
{
    public string? TenPhiLePhi { get; init; }
    public string? MaPhiLePhi { get; init; }
    public string? HinhThucThu { get; init; }
    public decimal? Gia { get; init; }
    public string? LoaiPhiLePhi { get; init; }
}

/// <summary>The status part of a dossier the hub syncs with <c>DongBoHoSoMC</c>.</summary>
internal sealed record PortalDossierStatus
{
    public required string MaHoSo { get; init; }

    /// <summary>The city dossier code (designed field: the portal's practice names none).</summary>
    public string? MaHoSoTinh { get; init; }

    public required string TrangThaiHoSo { get; init; }

    /// <summary>When the status changed (designed field).</summary>
    public required string ThoiDiemCapNhat { get; init; }

    public string? NgayTiepNhan { get; init; }
    public string? NgayHenTra { get; init; }
    public string? NgayTra { get; init; }
    public string? GhiChu { get; init; }
}

/// <summary>A progress record (<c>QuaTrinhXuLy</c>), sent with <c>CapNhatTienDoHoSoMC</c> and shown by <c>TraCuuHoSo</c>.</summary>
internal sealed record PortalProgress
{
    public string? MaHoSo { get; init; }
    public string? NguoiXuLy { get; init; }
    public string? ChucDanh { get; init; }
    public string? ThoiDiemXuLy { get; init; }
    public string? PhongBanXuLy { get; init; }
    public string? NoiDungXuLy { get; init; }
    public string? TrangThai { get; init; }
    public string? NgayBatDau { get; init; }
    public string? NgayKetThucTheoQuyDinh { get; init; }
}

/// <summary>A procedure of <c>LayDanhSachTTHC</c>.</summary>
internal sealed record PortalProcedureItem
{
    public string? MaTTHC { get; init; }
    public string? TenTTHC { get; init; }
    public string? MaLinhVuc { get; init; }
    public string? TenLinhVuc { get; init; }
}
