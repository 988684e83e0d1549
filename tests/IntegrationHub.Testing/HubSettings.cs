using System.Globalization;

namespace IntegrationHub.Testing;

/// <summary>
/// The settings of a hub under test: its own database, the stand-ins, the test signing keys,
/// the secrets the flows need, and intervals short enough for a test to watch the flows run.
/// </summary>
public static class HubSettings
{
    /// <summary>The webhook secret the hubs under test share with the test (it plays the portal).</summary>
    public const string WebhookSecret = "test-webhook-secret-0123456789abcdef";

    /// <summary>The agency code of the city dossier codes the hubs under test issue.</summary>
    public const string CityAgencyCode = "000.00.00.H26";

    /// <summary>
    /// Settings for one hub. <paramref name="portalAgencyCode"/> (the portal's <c>madonvi</c>) and
    /// <paramref name="integrationCode"/> (the population gateway's <c>MaTichHop</c>) tell this hub's
    /// requests apart in the stand-ins' request log when it cannot tag them (a child process).
    /// </summary>
    public static Dictionary<string, string?> For(Uri standIns, string databasePath, TestKeys keys, string? portalAgencyCode = null, string? integrationCode = null)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var settings = StandInData.ConnectorSettings(standIns);
        if (portalAgencyCode is not null)
        {
            settings["Connectors:Portal:AgencyCode"] = portalAgencyCode;
        }

        if (integrationCode is not null)
        {
            settings["Connectors:Population:IntegrationCode"] = integrationCode;
        }

        settings["Messaging:DatabasePath"] = databasePath;
        settings["Security:Issuer"] = TestKeys.Issuer;
        settings["Security:Audience"] = TestKeys.Audience;
        settings["Security:JwksPath"] = keys.JwksPath;
        settings["Identity:AuditKey"] = Convert.ToBase64String(new byte[32]);
        settings["Audit:SigningKeyPath"] = TestAuditKey.Path;
        settings["Audit:CheckpointInterval"] = "00:00:02";
        settings["Flows:WebhookSecret"] = WebhookSecret;
        settings["Flows:PortalPollInterval"] = "00:00:01";
        settings["Flows:DeadlineCheckInterval"] = "00:00:05";
        settings["DossierCodes:AgencyCode"] = CityAgencyCode;
        settings["RequestLimits:PermitsPerMinute"] = "600000";
        settings["RequestLimits:Burst"] = "100000";
        return settings;
    }

    /// <summary>A fresh database path under the temporary folder.</summary>
    public static string NewDatabasePath() =>
        Path.Combine(Path.GetTempPath(), "integrationhub-tests", Guid.NewGuid().ToString("N"), "hub.db");

    /// <summary>A well-formed agency code no other test uses, e.g. <c>000.73.41.H26</c>.</summary>
    public static string UniqueAgencyCode() =>
        string.Create(CultureInfo.InvariantCulture, $"000.{Random.Shared.Next(10, 99)}.{Random.Shared.Next(10, 99)}.H{Random.Shared.Next(10, 99)}");
}
