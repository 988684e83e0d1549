using IntegrationHub.Connectors.Resilience;
using IntegrationHub.Core.Gateways;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Connectors.Sectors;

/// <summary>The configured sector systems; a system without a configuration section has no gateway.</summary>
internal sealed class SectorGateways(SectorSystemNames names, IHttpClientFactory clients, ConnectorMetrics metrics, ILogger<SectorClient> logger) : ISectorGateways
{
    /// <summary>The name of a sector system's <see cref="HttpClient"/>.</summary>
    public static string ClientName(string system) => $"IntegrationHub.Connectors.{system}";

    public ISectorGateway? For(string system) =>
        system is not null && names.Contains(system)
            ? new SectorClient(system, clients.CreateClient(ClientName(system)), metrics, logger)
            : null;
}

/// <summary>The names of the configured sector systems (lower case, as the routing table names them).</summary>
internal sealed class SectorSystemNames(IEnumerable<string> names)
{
    private readonly HashSet<string> names = new(names, StringComparer.Ordinal);

    public bool Contains(string system) => names.Contains(system);
}
