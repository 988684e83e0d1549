using IntegrationHub.Core.Gateways;
using IntegrationHub.Schemas;

namespace IntegrationHub.Flows.Tests;

/// <summary>The sector systems in memory (<c>land</c> and <c>business</c>): what each received, and a failure when a test sets one.</summary>
internal sealed class InMemorySectors : ISectorGateways
{
    private readonly Dictionary<string, Sector> systems = new(StringComparer.Ordinal)
    {
        ["land"] = new Sector("land"),
        ["business"] = new Sector("business"),
    };

    public Sector this[string system] => systems[system];

    public ISectorGateway? For(string system) => systems.GetValueOrDefault(system);

    internal sealed class Sector(string system) : ISectorGateway
    {
        public string System => system;

        public GatewayFailure? Failing { get; set; }

        public List<DossierRouted> Received { get; } = [];

        public Task<SectorReceipt> DeliverAsync(DossierRouted dossier, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(dossier);
            if (Failing is { } failure)
            {
                throw new GatewayException(system, "TiepNhanHoSo", failure, $"The {system} system {(failure == GatewayFailure.Unavailable ? "is unavailable" : "refused the dossier (error_code E42)")}.", errorCode: "E42");
            }

            Received.Add(dossier);
            return Task.FromResult(new SectorReceipt(system, $"BN-{dossier.CityCode}", dossier.ReceivedAt));
        }

        public Task<SectorStatus?> GetStatusAsync(string receiptId, CancellationToken cancellationToken) => Task.FromResult<SectorStatus?>(null);
    }
}
