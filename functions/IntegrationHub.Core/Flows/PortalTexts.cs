using IntegrationHub.Schemas;

namespace IntegrationHub.Core.Flows;

/// <summary>
/// The words the hub writes on the portal's progress records (<c>QuaTrinhXuLy</c>), which the
/// applicant reads: Vietnamese, plain, saying who did what.
/// </summary>
public static class PortalTexts
{
    /// <summary>The name the hub acts under on the portal.</summary>
    public const string HubActor = "Hệ thống tích hợp IntegrationHub";

    /// <summary>The center, as the unit that received the dossier.</summary>
    public const string CenterUnit = "Trung tâm Phục vụ hành chính công thành phố Hà Nội";

    /// <summary>Received and sent to the department.</summary>
    public static string Accepted(string departmentName) => $"Tiếp nhận hồ sơ, chuyển {departmentName} giải quyết.";

    /// <summary>What a department did, as the portal shows it when the department gave no words of its own.</summary>
    public static string StatusChanged(DossierStatus status) => status switch
    {
        DossierStatus.InProcessing => "Hồ sơ đang được giải quyết.",
        DossierStatus.SupplementRequested => "Đề nghị bổ sung hồ sơ.",
        DossierStatus.PaymentRequested => "Đề nghị nộp phí, lệ phí.",
        DossierStatus.Withdrawn => "Công dân rút hồ sơ.",
        DossierStatus.ProcessingStopped => "Dừng xử lý hồ sơ.",
        DossierStatus.ProcessingFinished => "Đã có kết quả giải quyết.",
        DossierStatus.ResultReturned => "Đã trả kết quả cho công dân.",
        DossierStatus.NotAccepted => "Không tiếp nhận hồ sơ.",
        DossierStatus.Accepted => "Tiếp nhận hồ sơ.",
        _ => "Cập nhật trạng thái hồ sơ.",
    };
}
