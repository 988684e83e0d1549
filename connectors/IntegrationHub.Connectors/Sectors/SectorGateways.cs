using IntegrationHub.Connectors.Resilience;
using IntegrationHub.Core.Gateways;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Connectors.Sectors;

/// <summary>The configured sector systems, each with its own Refit client (keyed by the system's name); a system without a configuration section has no gateway.</summary>
internal sealed class SectorGateways(SectorSystemNames names, IServiceProvider services, ConnectorMetrics metrics, ILogger<SectorClient> logger) : ISectorGateways
{
    public ISectorGateway? For(string system) =>
        system is not null && names.Contains(system)
            ? new SectorClient(system, services.GetRequiredKeyedService<ISectorApi>(system), metrics, logger)
            : null;
}

/// <summary>The names of the configured sector systems (lower case, as the routing table names them).</summary>
internal sealed class SectorSystemNames(IEnumerable<string> names)
{
    private readonly HashSet<string> names = new(names, StringComparer.Ordinal);

    public bool Contains(string system) => names.Contains(system);
}
