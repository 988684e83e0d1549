using System.Globalization;
using IntegrationHub.Connectors.Wire;
using IntegrationHub.Core.Gateways;
using IntegrationHub.Schemas;

namespace IntegrationHub.Connectors.Portal;

/// <summary>The portal's Vietnamese field names and codes, mapped to the hub's English types and back.</summary>
internal static class PortalMapping
{
    /// <summary>
    /// A listed dossier as a submission, or every problem that stops it being one, each naming the
    /// portal field (<c>ChuHoSo: missing</c>).
    /// </summary>
    public static (SubmissionReceived? Submission, string? Problem) ToSubmission(PortalDossier item)
    {
        var problems = new List<string>();

        var portalCode = Required(item.MaHoSo, nameof(item.MaHoSo), problems);
        var procedureCode = Required(item.MaTTHC, nameof(item.MaTTHC), problems);
        var name = Required(item.ChuHoSo, nameof(item.ChuHoSo), problems);
        var summary = Required(item.TrichYeuHoSo, nameof(item.TrichYeuHoSo), problems);
        var channel = Code<Channel>(item.KenhThucHien, nameof(item.KenhThucHien), problems, required: true);
        var kind = Code<ApplicantKind>(item.LoaiDoiTuong, nameof(item.LoaiDoiTuong), problems, required: true);
        var idNumber = IdNumberOf(item, problems);
        var submittedAt = SubmittedAtOf(item, problems);
        var birthDate = BirthDateOf(item, problems);
        var sex = item.GioiTinhChuHoSo switch
        {
            null or "" => (Sex?)null,
            "1" => Sex.Male,
            "2" => Sex.Female,
            var other => Problem<Sex>(problems, $"{nameof(item.GioiTinhChuHoSo)}: '{other}' is not 1 (male) or 2 (female)"),
        };

        var documents = (item.TaiLieuNop ?? []).Select((d, i) => ToDocument(d, i, problems)).ToList();
        var fees = (item.DanhSachLePhi ?? []).Select((f, i) => ToFee(f, i, problems)).ToList();

        if (problems.Count > 0)
        {
            return (null, string.Join("; ", problems));
        }

        return (new SubmissionReceived
        {
            PortalCode = portalCode!,
            ProcedureCode = procedureCode!,
            Channel = channel!.Value,
            Applicant = new Applicant
            {
                Kind = kind!.Value,
                Name = name!,
                IdNumber = idNumber!,
                BirthDate = birthDate,
                Sex = sex,
                Email = Blank(item.Email),
                Phone = Blank(item.SoDienThoai),
                Address = Blank(item.DiaChiChuHoSo),
            },
            Summary = summary!,
            SubmittedAt = submittedAt,
            ReceivingBranch = Blank(item.DonViTiepNhan),
            Documents = documents.OfType<SubmittedDocument>().ToList(),
            Fees = fees.OfType<Fee>().ToList(),
        }, null);
    }

    /// <summary>The status part of a dossier for <c>DongBoHoSoMC</c>.</summary>
    public static PortalDossierStatus ToWire(SyncPortalStatus change)
    {
        var changedAt = WireTime.Format(change.ChangedAt);
        return new PortalDossierStatus
        {
            MaHoSo = change.PortalCode,
            MaHoSoTinh = change.CityCode,
            TrangThaiHoSo = StatusCode(change.Status),
            ThoiDiemCapNhat = changedAt,
            NgayTiepNhan = change.Status == DossierStatus.Accepted ? changedAt : null,
            NgayHenTra = change.DueAt is { } due ? WireTime.Format(due) : null,
            NgayTra = change.Status == DossierStatus.ResultReturned ? changedAt : null,
            GhiChu = change.Reason,
        };
    }

    /// <summary>A progress record for <c>CapNhatTienDoHoSoMC</c>.</summary>
    public static PortalProgress ToWire(string portalCode, ProgressRecord record) => new()
    {
        MaHoSo = portalCode,
        NguoiXuLy = record.Actor,
        ChucDanh = record.Title,
        ThoiDiemXuLy = WireTime.Format(record.At),
        PhongBanXuLy = record.Unit,
        NoiDungXuLy = record.Action,
        TrangThai = StatusCode(record.Status),
        NgayBatDau = WireTime.Format(record.At),
        NgayKetThucTheoQuyDinh = record.DueAt is { } due ? WireTime.Format(due) : null,
    };

    /// <summary>
    /// A looked-up dossier as the hub's view; the first field that cannot be read is returned as
    /// (path, problem) for a malformed-reply error.
    /// </summary>
    public static (PortalDossierView? View, string? Field, string? Problem) ToView(PortalDossier dossier)
    {
        if (string.IsNullOrWhiteSpace(dossier.MaHoSo))
        {
            return (null, "$.result.MaHoSo", "missing");
        }

        if (!TryStatus(dossier.TrangThaiHoSo, out var status))
        {
            return (null, "$.result.TrangThaiHoSo", $"'{dossier.TrangThaiHoSo}' is not a status code 1–10");
        }

        DateTimeOffset? dueAt = null;
        if (dossier.NgayHenTra is { Length: > 0 } due)
        {
            if (!WireTime.TryParseInstant(due, out var parsed))
            {
                return (null, "$.result.NgayHenTra", $"'{due}' is not a yyyyMMddHHmmss date");
            }

            dueAt = parsed;
        }

        var progress = new List<ProgressRecord>();
        var records = dossier.QuaTrinhXuLy ?? [];
        for (var i = 0; i < records.Count; i++)
        {
            var (record, field, problem) = ToProgress(records[i], $"$.result.QuaTrinhXuLy[{i}]");
            if (record is null)
            {
                return (null, field, problem);
            }

            progress.Add(record);
        }

        return (new PortalDossierView(dossier.MaHoSo, status, dueAt, progress.OrderBy(p => p.At).ToList()), null, null);
    }

    public static string StatusCode(DossierStatus status) => ((int)status).ToString(CultureInfo.InvariantCulture);

    private static string? IdNumberOf(PortalDossier item, List<string> problems)
    {
        var idNumber = item.SoGiayToChuHoSo is { Length: > 0 } given
            ? given
            : item.DinhDanhCHS?.FirstOrDefault(i => i.LoaiDinhDanh == "1")?.SoDinhDanh;
        if (string.IsNullOrWhiteSpace(idNumber))
        {
            problems.Add($"{nameof(item.SoGiayToChuHoSo)}: missing (and no {nameof(item.DinhDanhCHS)} of type 1)");
        }

        return idNumber;
    }

    private static DateTimeOffset SubmittedAtOf(PortalDossier item, List<string> problems)
    {
        DateTimeOffset submittedAt = default;
        if (Required(item.NgayNopHoSo, nameof(item.NgayNopHoSo), problems) is { } submitted && !WireTime.TryParseInstant(submitted, out submittedAt))
        {
            problems.Add($"{nameof(item.NgayNopHoSo)}: '{submitted}' is not a yyyyMMddHHmmss date");
        }

        return submittedAt;
    }

    private static DateOnly? BirthDateOf(PortalDossier item, List<string> problems)
    {
        if (item.NgaySinhChuHoSo is not { Length: > 0 } born)
        {
            return null;
        }

        if (WireTime.TryParseDay(born, out var day))
        {
            return day;
        }

        problems.Add($"{nameof(item.NgaySinhChuHoSo)}: '{born}' is not a yyyyMMdd date");
        return null;
    }

    /// <summary>One record of <c>QuaTrinhXuLy</c>, or the path and problem of its first unreadable field.</summary>
    private static (ProgressRecord? Record, string? Field, string? Problem) ToProgress(PortalProgress record, string path)
    {
        if (!WireTime.TryParseInstant(record.ThoiDiemXuLy, out var at))
        {
            return (null, $"{path}.ThoiDiemXuLy", $"'{record.ThoiDiemXuLy}' is not a yyyyMMddHHmmss date");
        }

        if (!TryStatus(record.TrangThai, out var step))
        {
            return (null, $"{path}.TrangThai", $"'{record.TrangThai}' is not a status code 1–10");
        }

        DateTimeOffset? stepDue = null;
        if (record.NgayKetThucTheoQuyDinh is { Length: > 0 } stepDueText)
        {
            if (!WireTime.TryParseInstant(stepDueText, out var parsedDue))
            {
                return (null, $"{path}.NgayKetThucTheoQuyDinh", $"'{stepDueText}' is not a yyyyMMddHHmmss date");
            }

            stepDue = parsedDue;
        }

        return (new ProgressRecord
        {
            Actor = record.NguoiXuLy ?? "",
            Title = Blank(record.ChucDanh),
            Unit = record.PhongBanXuLy ?? "",
            Action = record.NoiDungXuLy ?? "",
            Status = step,
            At = at,
            DueAt = stepDue,
        }, null, null);
    }

    private static bool TryStatus(string? code, out DossierStatus status)
    {
        status = default;
        if (!int.TryParse(code, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || !Enum.IsDefined(typeof(DossierStatus), number))
        {
            return false;
        }

        status = (DossierStatus)number;
        return true;
    }

    private static SubmittedDocument? ToDocument(PortalDocument document, int index, List<string> problems)
    {
        var path = $"TaiLieuNop[{index}]";
        var id = Required(document.TepDinhKemId, $"{path}.TepDinhKemId", problems);
        var name = Required(document.TenTepDinhKem, $"{path}.TenTepDinhKem", problems);
        return id is null || name is null ? null : new SubmittedDocument
        {
            Id = id,
            Name = name,
            ComponentCode = Blank(document.MaThanhPhanHoSo),
            Url = Blank(document.DuongDanTaiTepTin),
            Digitized = document.DuocSoHoa ?? false,
        };
    }

    private static Fee? ToFee(PortalFee fee, int index, List<string> problems)
    {
        var path = $"DanhSachLePhi[{index}]";
        var code = Required(fee.MaPhiLePhi, $"{path}.MaPhiLePhi", problems);
        var name = Required(fee.TenPhiLePhi, $"{path}.TenPhiLePhi", problems);
        if (fee.Gia is not { } amount)
        {
            problems.Add($"{path}.Gia: missing");
            return null;
        }

        return code is null || name is null ? null : new Fee { Code = code, Name = name, Amount = amount };
    }

    private static string? Required(string? value, string field, List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            problems.Add($"{field}: missing");
            return null;
        }

        return value;
    }

    private static T? Code<T>(string? value, string field, List<string> problems, bool required)
        where T : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required)
            {
                problems.Add($"{field}: missing");
            }

            return null;
        }

        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && Enum.IsDefined(typeof(T), number))
        {
            return (T)Enum.ToObject(typeof(T), number);
        }

        var allowed = string.Join(", ", Enum.GetValues<T>().Select(v => Convert.ToInt32(v, CultureInfo.InvariantCulture)));
        problems.Add($"{field}: '{value}' is not one of {allowed}");
        return null;
    }

    private static T? Problem<T>(List<string> problems, string problem)
        where T : struct
    {
        problems.Add(problem);
        return null;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
