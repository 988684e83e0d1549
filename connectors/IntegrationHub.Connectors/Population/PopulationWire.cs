using System.Text.Json.Serialization;

namespace IntegrationHub.Connectors.Population;

// The population gateway's wire format, in its own field names (see connectors/README.md).

/// <summary>A citizen lookup: who is asked about, and who asks and why (the gateway logs both).</summary>
internal sealed record CitizenLookupRequest
{
    public required string MaYeuCau { get; init; }
    public required string MaTichHop { get; init; }
    public required string MaDichVu { get; init; }
    public required string MaCanBo { get; init; }
    public required string DonViYeuCau { get; init; }
    public required string MucDichSuDung { get; init; }

    /// <summary>The 12-digit personal ID.</summary>
    public required string SoDinhDanh { get; init; }

    /// <summary>The name in upper case without accents.</summary>
    public required string HoVaTen { get; init; }

    /// <summary>yyyyMMdd.</summary>
    public required string NgayThangNamSinh { get; init; }

    public required string NamSinh { get; init; }
}

/// <summary>The reply: <c>{ error_code, message, MaYeuCau, data }</c>.</summary>
internal sealed record CitizenLookupReply : Wire.WireReply
{
    public string? MaYeuCau { get; init; }

    [JsonPropertyName("data")]
    public CitizenRecord? Data { get; init; }
}

/// <summary>The full citizen record the database holds.</summary>
internal sealed record CitizenRecord
{
    public string? SoDinhDanh { get; init; }
    public string? SoCMND { get; init; }
    public PersonName? HoVaTen { get; init; }
    public string? GioiTinh { get; init; }
    public CodeName? DanToc { get; init; }
    public CodeName? TonGiao { get; init; }
    public CodeName? TinhTrangHonNhan { get; init; }
    public string? NhomMau { get; init; }
    public string? NgayThangNamSinh { get; init; }
    public CodeName? QuocTich { get; init; }
    public Address? ThuongTru { get; init; }
    public Address? NoiOHienTai { get; init; }
    public Address? QueQuan { get; init; }
    public Address? NoiDangKyKhaiSinh { get; init; }
    public Relative? Cha { get; init; }
    public Relative? Me { get; init; }
    public Relative? VoChong { get; init; }
    public Relative? NguoiDaiDien { get; init; }
    public HouseholdHead? ChuHo { get; init; }
    public string? SoSoHoKhau { get; init; }
}

/// <summary>A name in its three parts.</summary>
internal sealed record PersonName
{
    public string? Ho { get; init; }
    public string? ChuDem { get; init; }
    public string? Ten { get; init; }

    public string Full => string.Join(' ', new[] { Ho, ChuDem, Ten }.Where(p => !string.IsNullOrWhiteSpace(p)).Select(p => p!.Trim()));
}

/// <summary>A coded value with its name (ethnicity, religion, nationality, marital status).</summary>
internal sealed record CodeName
{
    public string? Ma { get; init; }
    public string? Ten { get; init; }
}

/// <summary>An address: province, district and ward codes and names, and the detail (street, house).</summary>
internal sealed record Address
{
    public string? MaTinh { get; init; }
    public string? TenTinh { get; init; }
    public string? MaHuyen { get; init; }
    public string? TenHuyen { get; init; }
    public string? MaXa { get; init; }
    public string? TenXa { get; init; }
    public string? ChiTiet { get; init; }

    /// <summary>One line, most precise first: "Số 12 ngõ 34, Phường Dịch Vọng, Quận Cầu Giấy, Thành phố Hà Nội".</summary>
    public string? OneLine()
    {
        var parts = new[] { ChiTiet, TenXa, TenHuyen, TenTinh }.Where(p => !string.IsNullOrWhiteSpace(p)).ToList();
        return parts.Count == 0 ? null : string.Join(", ", parts);
    }
}

/// <summary>A relative: name and personal ID.</summary>
internal sealed record Relative
{
    public string? HoVaTen { get; init; }
    public string? SoDinhDanh { get; init; }
}

/// <summary>The household head and the citizen's relation to them.</summary>
internal sealed record HouseholdHead
{
    public string? HoVaTen { get; init; }
    public string? SoDinhDanh { get; init; }
    public string? QuanHe { get; init; }
}
