using System.Globalization;
using IntegrationHub.Connectors.Resilience;
using IntegrationHub.Connectors.Wire;
using IntegrationHub.Core.Gateways;
using IntegrationHub.Schemas;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Connectors.Sectors;

/// <summary>
/// A sector system (land registration, business registration, ...): routed dossiers are delivered
/// with the city code as idempotency key, and their status is polled by receipt id.
/// </summary>
internal sealed class SectorClient(string system, ISectorApi api, ConnectorMetrics metrics, ILogger logger) : ISectorGateway
{
    private readonly GatewayCalls calls = new(system, metrics, logger);

    public string System => system;

    public async Task<SectorReceipt> DeliverAsync(DossierRouted dossier, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dossier);
        const string Operation = "Deliver";

        // The city code is the idempotency key: the system answers a repeat with the first receipt,
        // so a delivery that may have been applied is safe to retry.
        var wire = ToWire(dossier);
        var reply = await calls.CallAsync<WireReply<SectorReceiptData>>(Operation, ct => api.DeliverAsync(dossier.CityCode, wire, ct), cancellationToken);
        if (!reply.IsSuccess)
        {
            throw calls.Refused(Operation, reply);
        }

        var receipt = reply.Data ?? throw calls.Malformed(Operation, "$.data", "missing");
        if (string.IsNullOrWhiteSpace(receipt.MaBienNhan))
        {
            throw calls.Malformed(Operation, "$.data.MaBienNhan", "missing");
        }

        if (!WireTime.TryParseInstant(receipt.ThoiDiemTiepNhan, out var acceptedAt))
        {
            throw calls.Malformed(Operation, "$.data.ThoiDiemTiepNhan", $"'{receipt.ThoiDiemTiepNhan}' is not a yyyyMMddHHmmss date");
        }

        Log.SectorDelivered(logger, system, dossier.CityCode, receipt.MaBienNhan);
        return new SectorReceipt(system, receipt.MaBienNhan, acceptedAt);
    }

    public async Task<SectorStatus?> GetStatusAsync(string receiptId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(receiptId);
        const string Operation = "GetStatus";
        var reply = await calls.CallAsync<WireReply<SectorStatusData>>(Operation, ct => api.GetStatusAsync(receiptId, ct), cancellationToken);
        if (reply.ErrorCode == GatewayCodes.RecordNotFound)
        {
            return null;
        }

        if (!reply.IsSuccess)
        {
            throw calls.Refused(Operation, reply);
        }

        var status = reply.Data ?? throw calls.Malformed(Operation, "$.data", "missing");
        if (status.MaBienNhan != receiptId)
        {
            throw calls.Malformed(Operation, "$.data.MaBienNhan", $"the reply is for receipt '{status.MaBienNhan}', not '{receiptId}'");
        }

        if (string.IsNullOrWhiteSpace(status.MaHoSo))
        {
            throw calls.Malformed(Operation, "$.data.MaHoSo", "missing");
        }

        if (!int.TryParse(status.TrangThaiHoSo, NumberStyles.None, CultureInfo.InvariantCulture, out var code) || !Enum.IsDefined(typeof(DossierStatus), code))
        {
            throw calls.Malformed(Operation, "$.data.TrangThaiHoSo", $"'{status.TrangThaiHoSo}' is not a status code 1–10");
        }

        if (!WireTime.TryParseInstant(status.ThoiDiemXuLy, out var at))
        {
            throw calls.Malformed(Operation, "$.data.ThoiDiemXuLy", $"'{status.ThoiDiemXuLy}' is not a yyyyMMddHHmmss date");
        }

        if (string.IsNullOrWhiteSpace(status.PhongBanXuLy) || string.IsNullOrWhiteSpace(status.NoiDungXuLy))
        {
            throw calls.Malformed(Operation, string.IsNullOrWhiteSpace(status.PhongBanXuLy) ? "$.data.PhongBanXuLy" : "$.data.NoiDungXuLy", "missing");
        }

        return new SectorStatus(receiptId, status.MaHoSo, (DossierStatus)code, string.IsNullOrWhiteSpace(status.NguoiXuLy) ? null : status.NguoiXuLy, status.PhongBanXuLy, status.NoiDungXuLy, at);
    }

    private static SectorDossier ToWire(DossierRouted dossier) => new()
    {
        MaHoSo = dossier.CityCode,
        MaHoSoQuocGia = dossier.PortalCode,
        MaTTHC = dossier.ProcedureCode,
        TenTTHC = dossier.ProcedureName,
        MaDonViXuLy = dossier.DepartmentCode,
        TenDonViXuLy = dossier.DepartmentName,
        ChiNhanhTiepNhan = dossier.ReceivingBranch,
        KenhThucHien = ((int)dossier.Channel).ToString(CultureInfo.InvariantCulture),
        LoaiDoiTuong = ((int)dossier.Applicant.Kind).ToString(CultureInfo.InvariantCulture),
        ChuHoSo = dossier.Applicant.Name,
        SoGiayToChuHoSo = dossier.Applicant.IdNumber,
        NgaySinhChuHoSo = dossier.Applicant.BirthDate is { } born ? WireTime.Format(born) : null,
        Email = dossier.Applicant.Email,
        SoDienThoai = dossier.Applicant.Phone,
        DiaChiChuHoSo = dossier.Applicant.Address,
        TrichYeuHoSo = dossier.Summary,
        NgayTiepNhan = WireTime.Format(dossier.ReceivedAt),
        NgayHenTra = WireTime.Format(dossier.DueAt),
        SoNgayGiaiQuyet = dossier.Resolution.Days,
        LoaiNgayGiaiQuyet = dossier.Resolution.Kind == ResolutionKind.WorkingDays ? "NgayLamViec" : "NgayLich",
        PhienBanBangDinhTuyen = dossier.RoutingTableVersion,
        TaiLieuNop = dossier.Documents.Select(d => new SectorDocument
        {
            TepDinhKemId = d.Id,
            TenTepDinhKem = d.Name,
            MaThanhPhanHoSo = d.ComponentCode,
            DuongDanTaiTepTin = d.Url,
            DuocSoHoa = d.Digitized,
        }).ToList(),
        DanhSachLePhi = dossier.Fees.Select(f => new SectorFee { MaPhiLePhi = f.Code, TenPhiLePhi = f.Name, Gia = f.Amount }).ToList(),
    };
}
