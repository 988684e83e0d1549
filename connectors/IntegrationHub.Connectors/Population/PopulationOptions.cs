using System.ComponentModel.DataAnnotations;

namespace IntegrationHub.Connectors.Population;

/// <summary>The National Population Database connector (<c>Connectors:Population</c>).</summary>
public sealed class PopulationOptions : ConnectorOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Connectors:Population";

    /// <summary>Creates the options with the defaults of an interactive lookup (an officer is waiting).</summary>
    public PopulationOptions()
    {
        AttemptTimeout = TimeSpan.FromSeconds(5);
        TotalTimeout = TimeSpan.FromSeconds(20);
        Concurrency.MaxConcurrent = 4;
    }

    /// <summary>The integration code the gateway issued to the hub (<c>MaTichHop</c>), sent with every lookup.</summary>
    /// <value>Required.</value>
    [Required]
    public string IntegrationCode { get; set; } = "";

    /// <summary>The code of the lookup service the hub is allowed to use (<c>MaDichVu</c>).</summary>
    /// <value>Required.</value>
    [Required]
    public string ServiceCode { get; set; } = "";
}
