using IntegrationHub.Core.Gateways;
using IntegrationHub.Runtime.Functions;

namespace IntegrationHub.Functions.Delivery;

/// <summary>
/// Pushes a routed dossier to its sector system (keyed by its city code, so a repeat is harmless) and
/// records the system's receipt on the timeline. A refusal is refused with the system's code; a system
/// without a configured connector too.
/// </summary>
internal sealed class SectorDeliveryService(
    ISectorGateways sectors,
    IdempotentStep step,
    IDossierRegistry dossiers,
    TimeProvider time,
    ILogger<SectorDeliveryService> logger)
{
    public const string Consumer = "deliver-to-sector";
    public const string NoSectorGateway = "NoSectorGateway";
    public const string SectorRefused = "SectorRefused";

    /// <summary>Delivers the routed dossier carried by message <paramref name="messageId"/>.</summary>
    public async Task<StepOutcome> DeliverAsync(DossierRouted routed, string messageId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(routed);
        if (routed.SectorSystem is not { } system || sectors.For(system) is not { } gateway)
        {
            return StepOutcome.Refused(NoSectorGateway, $"No connector is configured for sector system '{routed.SectorSystem}' (Connectors:Sectors:<System>).");
        }

        return await step.RunAsync(
            Consumer,
            messageId,
            token => gateway.DeliverAsync(routed, token),
            ex => StepOutcome.Refused(SectorRefused, $"The {system} system refused dossier {routed.CityCode}: {ex.Message}"),
            async (transaction, receipt, token) =>
            {
                await dossiers.SetSectorReceiptAsync(transaction, routed.PortalCode, receipt.ReceiptId, token);
                await dossiers.AppendAsync(transaction, FlowMessages.HubStep(routed.PortalCode, time.GetUtcNow(), HubTexts.SectorDelivered(system, receipt.ReceiptId), messageId: messageId), token);
            },
            receipt => Log.SectorDelivered(logger, routed.CityCode, system, receipt.ReceiptId),
            cancellationToken);
    }
}
