namespace IntegrationHub.Connectors.Sectors;

// The sector systems' receiving API, in Vietnamese field names following the portal's vocabulary
// (see connectors/README.md). Both sector stand-ins speak it.

/// <summary><c>TiepNhanHoSo</c>: a routed dossier handed to the sector system; the city code is the idempotency key.</summary>
internal sealed record SectorDossier
{
    public required string MaHoSo { get; init; }
    public required string MaHoSoQuocGia { get; init; }
    public required string MaTTHC { get; init; }
    public required string TenTTHC { get; init; }
    public required string MaDonViXuLy { get; init; }
    public required string TenDonViXuLy { get; init; }
    public required string ChiNhanhTiepNhan { get; init; }
    public required string KenhThucHien { get; init; }
    public required string LoaiDoiTuong { get; init; }
    public required string ChuHoSo { get; init; }
    public required string SoGiayToChuHoSo { get; init; }
    public string? NgaySinhChuHoSo { get; init; }
    public string? Email { get; init; }
    public string? SoDienThoai { get; init; }
    public string? DiaChiChuHoSo { get; init; }
    public required string TrichYeuHoSo { get; init; }
    public required string NgayTiepNhan { get; init; }
    public required string NgayHenTra { get; init; }
    public required int SoNgayGiaiQuyet { get; init; }

    /// <summary><c>NgayLamViec</c> (working days) or <c>NgayLich</c> (calendar days).</summary>
    public required string LoaiNgayGiaiQuyet { get; init; }

    public required string PhienBanBangDinhTuyen { get; init; }
    public required IReadOnlyList<SectorDocument> TaiLieuNop { get; init; }
    public required IReadOnlyList<SectorFee> DanhSachLePhi { get; init; }
}

internal sealed record SectorDocument
{
    public required string TepDinhKemId { get; init; }
    public required string TenTepDinhKem { get; init; }
    public string? MaThanhPhanHoSo { get; init; }
    public string? DuongDanTaiTepTin { get; init; }
    public required bool DuocSoHoa { get; init; }
}

internal sealed record SectorFee
{
    public required string MaPhiLePhi { get; init; }
    public required string TenPhiLePhi { get; init; }
    public required decimal Gia { get; init; }
}

/// <summary>The receipt: the sector system's id for the dossier and when it took it.</summary>
internal sealed record SectorReceiptData
{
    public string? MaBienNhan { get; init; }
    public string? ThoiDiemTiepNhan { get; init; }
}

/// <summary><c>TraCuuTrangThai</c>: where a delivered dossier stands.</summary>
internal sealed record SectorStatusData
{
    public string? MaBienNhan { get; init; }
    public string? MaHoSo { get; init; }
    public string? TrangThaiHoSo { get; init; }
    public string? NguoiXuLy { get; init; }
    public string? PhongBanXuLy { get; init; }
    public string? NoiDungXuLy { get; init; }
    public string? ThoiDiemXuLy { get; init; }
}
