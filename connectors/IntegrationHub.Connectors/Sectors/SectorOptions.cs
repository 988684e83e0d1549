namespace IntegrationHub.Connectors.Sectors;

/// <summary>
/// A sector system connector, one section per system under <c>Connectors:Sectors</c>: the
/// section's key, lower-cased, is the system's name in the routing table (<c>Land</c> →
/// <c>land</c>, <c>Business</c> → <c>business</c>). A system gets a connector by configuration alone.
/// </summary>
public sealed class SectorOptions : ConnectorOptions
{
    /// <summary>The configuration section holding one section per sector system.</summary>
    public const string Section = "Connectors:Sectors";

    /// <summary>Creates the options with a sector system's defaults.</summary>
    public SectorOptions()
    {
        AttemptTimeout = TimeSpan.FromSeconds(15);
        Concurrency.MaxConcurrent = 4;
    }
}
