using System.ComponentModel.DataAnnotations;

namespace IntegrationHub.Functions.Http;

/// <summary>Limits on what a caller may send.</summary>
internal sealed class RequestLimitsOptions
{
    public const string Section = "RequestLimits";

    /// <summary>The largest JSON body accepted, in bytes.</summary>
    /// <value>Default 65,536 (64 KiB).</value>
    [Range(1024, 4 * 1024 * 1024, ErrorMessage = "RequestLimits:MaxJsonBodyBytes must be between 1 KiB and 4 MiB.")]
    public int MaxJsonBodyBytes { get; set; } = 64 * 1024;

    /// <summary>The largest webhook body the portal may push, in bytes.</summary>
    /// <value>Default 1,048,576 (1 MiB).</value>
    [Range(1024, 16 * 1024 * 1024, ErrorMessage = "RequestLimits:MaxWebhookBodyBytes must be between 1 KiB and 16 MiB.")]
    public int MaxWebhookBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Requests per minute one caller (token subject, or address without a token) may make.</summary>
    /// <value>Default 600.</value>
    [Range(1, 10_000_000, ErrorMessage = "RequestLimits:PermitsPerMinute must be between 1 and 10,000,000.")]
    public int PermitsPerMinute { get; set; } = 600;

    /// <summary>Requests a caller may make at once above the steady rate.</summary>
    /// <value>Default 100.</value>
    [Range(1, 1_000_000, ErrorMessage = "RequestLimits:Burst must be between 1 and 1,000,000.")]
    public int Burst { get; set; } = 100;
}
