using System.Globalization;
using IntegrationHub.Core.Identity;
using IntegrationHub.Schemas;

namespace IntegrationHub.Core.Flows;

/// <summary>
/// Every word the hub writes for people, in one place to review or translate: the portal's status
/// reasons and progress records (<c>QuaTrinhXuLy</c>), which the applicant reads, and the dossier
/// timeline, which the center and the departments read. Vietnamese, plain, saying who did what.
/// </summary>
public static class HubTexts
{
    /// <summary>The name the hub acts under on the portal and the timeline.</summary>
    public const string HubActor = "Hệ thống tích hợp IntegrationHub";

    /// <summary>The center, as the unit that received the dossier.</summary>
    public const string CenterUnit = "Trung tâm Phục vụ hành chính công thành phố Hà Nội";

    /// <summary>The unit of an operator whose token names none.</summary>
    public const string OperationsUnit = "Tổ vận hành hệ thống";

    /// <summary>A submission received from the portal.</summary>
    public const string Received = "Nhận hồ sơ từ Cổng Dịch vụ công quốc gia.";

    /// <summary>A department took a dossier it pulled.</summary>
    public const string DepartmentHolds = "Đơn vị giải quyết đã nhận hồ sơ.";

    /// <summary>A refusal: the applicant gave no birth date to check the identity with.</summary>
    public const string MissingBirthDate = "Không tiếp nhận: thiếu ngày sinh của người nộp hồ sơ để xác thực định danh.";

    /// <summary>A refusal: the citizen ID is not in the population database.</summary>
    public const string CitizenNotFound = "Không tiếp nhận: không tìm thấy số định danh cá nhân trong Cơ sở dữ liệu quốc gia về dân cư.";

    /// <summary>Received and sent to the department.</summary>
    public static string Accepted(string departmentName) => $"Tiếp nhận hồ sơ, chuyển {departmentName} giải quyết.";

    /// <summary>The timeline's step of a routed dossier: the acceptance, its city code and its due date.</summary>
    public static string Routed(string departmentName, string cityCode, DateTimeOffset dueAt) =>
        string.Create(CultureInfo.InvariantCulture, $"{Accepted(departmentName)} Mã hồ sơ {cityCode}, hạn trả kết quả {VietnamTime.ToLocal(dueAt):dd/MM/yyyy HH:mm}.");

    /// <summary>A dossier that could not be routed, and why (the operator's description).</summary>
    public static string NotRouted(string description) => $"Chưa thể chuyển hồ sơ: {description}";

    /// <summary>How the applicant's identity was checked, for an accepted applicant.</summary>
    public static string Verified(IdentityCheck check) => check switch
    {
        IdentityCheck.Matched => "Xác thực thông tin định danh của người nộp hồ sơ với Cơ sở dữ liệu quốc gia về dân cư: khớp.",
        IdentityCheck.OldIdCard => "Người nộp hồ sơ dùng chứng minh nhân dân 9 số: cán bộ tiếp nhận kiểm tra định danh.",
        _ => "Người nộp hồ sơ là tổ chức: không tra cứu Cơ sở dữ liệu quốc gia về dân cư.",
    };

    /// <summary>A refusal of a citizen ID that is not well formed.</summary>
    public static string CitizenIdRefused(CitizenIdRejection rejection) => rejection switch
    {
        CitizenIdRejection.Missing => "Không tiếp nhận: thiếu số định danh cá nhân của người nộp hồ sơ.",
        CitizenIdRejection.NotDigits or CitizenIdRejection.WrongLength => "Không tiếp nhận: số định danh cá nhân phải gồm 12 chữ số (hoặc 9 chữ số với chứng minh nhân dân cũ).",
        CitizenIdRejection.UnknownProvince => "Không tiếp nhận: mã tỉnh trong số định danh cá nhân không hợp lệ.",
        CitizenIdRejection.BirthYearMismatch or CitizenIdRejection.BirthYearInFuture => "Không tiếp nhận: năm sinh trong số định danh cá nhân không khớp với ngày sinh đã khai.",
        CitizenIdRejection.SexMismatch => "Không tiếp nhận: giới tính trong số định danh cá nhân không khớp với giới tính đã khai.",
        _ => "Không tiếp nhận: số định danh cá nhân không hợp lệ.",
    };

    /// <summary>A refusal of an identity the population database holds otherwise, naming the fields that differ.</summary>
    public static string IdentityMismatch(IEnumerable<IdentityField> fields) =>
        $"Không tiếp nhận: thông tin người nộp hồ sơ không khớp với Cơ sở dữ liệu quốc gia về dân cư ({string.Join(", ", fields.Select(FieldName))}).";

    /// <summary>A dossier pushed to its sector system, with the system's receipt.</summary>
    public static string SectorDelivered(string system, string receiptId) => $"Chuyển hồ sơ sang hệ thống chuyên ngành ({system}); số biên nhận {receiptId}.";

    /// <summary>The portal was told a status, or (for a change older than one it has) only the progress record.</summary>
    public static string PortalTold(DossierStatus status, bool progressOnly) => progressOnly
        ? "Cổng Dịch vụ công quốc gia đã nhận tiến độ xử lý."
        : string.Create(CultureInfo.InvariantCulture, $"Cổng Dịch vụ công quốc gia đã cập nhật trạng thái {(int)status}.");

    /// <summary>A deadline alert on the timeline.</summary>
    public static string DeadlineAlert(bool overdue, DateTimeOffset dueAt) => string.Create(
        CultureInfo.InvariantCulture,
        $"Cảnh báo: hồ sơ {(overdue ? "đã quá hạn" : "sắp đến hạn")} (hạn {VietnamTime.ToLocal(dueAt):dd/MM/yyyy HH:mm}).");

    /// <summary>A department's action with its reason, when it gave one.</summary>
    public static string WithReason(string action, string? reason) => string.IsNullOrWhiteSpace(reason) ? action : $"{action} Lý do: {reason}";

    /// <summary>An operator replayed a dead letter of the dossier.</summary>
    public static string Replayed(string messageId, string queue, string comment) =>
        $"Gửi lại thông điệp {messageId} vào hàng đợi {queue} để xử lý lại. Lý do: {comment}";

    /// <summary>An operator corrected a dead letter of the dossier and replayed it.</summary>
    public static string EditedAndReplayed(string messageId, int changes, string comment) =>
        string.Create(CultureInfo.InvariantCulture, $"Sửa nội dung và gửi lại thông điệp {messageId} để xử lý lại ({changes} trường thay đổi). Lý do: {comment}");

    private static string FieldName(IdentityField field) => field switch
    {
        IdentityField.FullName => "họ tên",
        IdentityField.BirthDate => "ngày sinh",
        _ => field.ToString(),
    };
}
