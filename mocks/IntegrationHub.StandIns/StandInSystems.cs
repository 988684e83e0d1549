namespace IntegrationHub.StandIns;

/// <summary>The systems the stand-ins play, and the hub settings that point at them.</summary>
public static class StandInSystems
{
    /// <summary>The agency code the hub sends the portal as <c>madonvi</c> (any well-formed one is accepted).</summary>
    public const string AgencyCode = "000.00.00.H26";

    /// <summary>National Public Service Portal.</summary>
    public static StandInSystem Portal { get; } = new("portal", "/dvcqg", "hub-portal", "portal-secret", "Connectors:Portal");

    /// <summary>National Population Database.</summary>
    public static StandInSystem Population { get; } = new("population", "/csdldc", "hub-population", "population-secret", "Connectors:Population");

    /// <summary>The land registration office.</summary>
    public static StandInSystem Land { get; } = new("land", "/vpdkdd", "hub-land", "land-secret", "Connectors:Sectors:Land");

    /// <summary>The business registration system.</summary>
    public static StandInSystem Business { get; } = new("business", "/dkkd", "hub-business", "business-secret", "Connectors:Sectors:Business");

    /// <summary>All four.</summary>
    public static IReadOnlyList<StandInSystem> All { get; } = [Portal, Population, Land, Business];

    /// <summary>
    /// The <c>Connectors:*</c> settings for the four systems at a stand-in server's address, with the
    /// credentials the stand-ins accept. Resilience settings are left to their defaults.
    /// </summary>
    public static Dictionary<string, string?> ConnectorSettings(Uri server)
    {
        ArgumentNullException.ThrowIfNull(server);
        var root = server.AbsoluteUri.TrimEnd('/');
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Connectors:Portal:AgencyCode"] = AgencyCode,
            ["Connectors:Population:IntegrationCode"] = "LGSP-HNI-TTPVHCC",
            ["Connectors:Population:ServiceCode"] = "CSDLDC-TRACUU-CONGDAN",
        };
        foreach (var system in All)
        {
            settings[$"{system.ConnectorSection}:BaseUrl"] = root + system.ApiPath;
            settings[$"{system.ConnectorSection}:TokenEndpoint"] = root + system.TokenPath;
            settings[$"{system.ConnectorSection}:ClientId"] = system.ClientId;
            settings[$"{system.ConnectorSection}:ClientSecret"] = system.ClientSecret;
        }

        return settings;
    }
}
