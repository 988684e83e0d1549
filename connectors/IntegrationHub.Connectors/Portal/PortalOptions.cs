using System.ComponentModel.DataAnnotations;
using IntegrationHub.Core.Dossiers;

namespace IntegrationHub.Connectors.Portal;

/// <summary>The National Public Service Portal connector (<c>Connectors:Portal</c>).</summary>
public sealed class PortalOptions : ConnectorOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Connectors:Portal";

    /// <summary>
    /// The city's agency code, sent as <c>madonvi</c> with every call (Decision 20/2020/QĐ-TTg).
    /// </summary>
    /// <value>Required, e.g. <c>000.00.00.H26</c>.</value>
    [Required]
    [RegularExpression(DossierCode.AgencyCodePattern, ErrorMessage = "Connectors:Portal:AgencyCode must be an agency electronic identifier like 000.00.00.H26.")]
    public string AgencyCode { get; set; } = "";

    /// <summary>Progress records (<c>QuaTrinhXuLy</c>) sent per <c>CapNhatTienDoHoSoMC</c> call.</summary>
    /// <value>Default 10.</value>
    [Range(1, 100)]
    public int ProgressBatchSize { get; set; } = 10;
}
