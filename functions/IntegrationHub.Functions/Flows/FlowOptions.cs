using System.ComponentModel.DataAnnotations;

namespace IntegrationHub.Functions.Flows;

/// <summary>Settings of the flows.</summary>
internal sealed class FlowOptions
{
    public const string Section = "Flows";

    /// <summary>How often the portal is asked for new submissions.</summary>
    /// <value>Default 30 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = "Flows:PortalPollInterval must be between 1 second and 1 hour.")]
    public TimeSpan PortalPollInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Submissions asked for per page.</summary>
    /// <value>Default 50.</value>
    [Range(1, 500, ErrorMessage = "Flows:PortalPageSize must be between 1 and 500.")]
    public int PortalPageSize { get; set; } = 50;

    /// <summary>Pages read per run of the portal sync, so that one run stays short.</summary>
    /// <value>Default 20.</value>
    [Range(1, 1000, ErrorMessage = "Flows:PortalPagesPerRun must be between 1 and 1000.")]
    public int PortalPagesPerRun { get; set; } = 20;

    /// <summary>The secret the portal signs webhooks with (HMAC-SHA256).</summary>
    /// <value>Required; at least 32 characters.</value>
    [Required(ErrorMessage = "Flows:WebhookSecret is required: the shared secret the portal signs webhook pushes with.")]
    [MinLength(32, ErrorMessage = "Flows:WebhookSecret must be at least 32 characters.")]
    public string WebhookSecret { get; set; } = "";

    /// <summary>How far a webhook's timestamp may be from the hub's clock.</summary>
    /// <value>Default 5 minutes.</value>
    [Range(typeof(TimeSpan), "00:00:10", "00:30:00", ErrorMessage = "Flows:WebhookReplayWindow must be between 10 seconds and 30 minutes.")]
    public TimeSpan WebhookReplayWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often deadlines are checked.</summary>
    /// <value>Default 5 minutes.</value>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "Flows:DeadlineCheckInterval must be between 1 second and 1 day.")]
    public TimeSpan DeadlineCheckInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Working time left below which a dossier is near due.</summary>
    /// <value>Default 8 hours (one working day).</value>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00", ErrorMessage = "Flows:NearDueWindow must be between 0 and 7 days.")]
    public TimeSpan NearDueWindow { get; set; } = TimeSpan.FromHours(8);

    /// <summary>How long a department holds the dossiers it pulled before they are offered again.</summary>
    /// <value>Set by the queue's lock duration (Messaging:LockDuration).</value>
    [Range(1, 100, ErrorMessage = "Flows:MaxPull must be between 1 and 100.")]
    public int MaxPull { get; set; } = 20;
}
