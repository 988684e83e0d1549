namespace IntegrationHub.EndToEnd.Tests;

/// <summary>What the end-to-end tests share: one at a time (each runs a whole hub, <see cref="EndToEndCollection"/>), and their hub settings.</summary>
public sealed class EndToEnd
{
    public const string Collection = "end-to-end";

    /// <summary>Settings of a hub under test, retrying failed messages quickly (host.e2e.json).</summary>
    public static Dictionary<string, string?> Settings(Uri standIns, TestKeys keys, string? portalAgencyCode = null)
    {
        var settings = HubSettings.For(standIns, HubSettings.NewDatabasePath(), keys, portalAgencyCode);
        settings["Messaging:HostJsonPath"] = Path.Combine(AppContext.BaseDirectory, "host.e2e.json");
        return settings;
    }
}

/// <summary>Starting an in-process hub: its server, timers and queue functions begin on first use.</summary>
public static class InProcessHubExtensions
{
    public static InProcessHub Started(this InProcessHub hub)
    {
        ArgumentNullException.ThrowIfNull(hub);
        _ = hub.Server;
        return hub;
    }
}
