using IntegrationHub.Core.Gateways;
using IntegrationHub.Core.Messaging;
using IntegrationHub.Core.Store;
using IntegrationHub.Functions.Flows;
using IntegrationHub.Runtime.Functions;
using IntegrationHub.Schemas;

namespace IntegrationHub.Functions.Delivery;

/// <summary>
/// Pushes a routed dossier to its sector system (keyed by its city code, so a repeat is harmless) and
/// records the system's receipt on the timeline. A refusal is dead-lettered with the system's code.
/// </summary>
internal sealed class SectorDeliveryService(
    ISectorGateways sectors,
    IHubTransactions transactions,
    IDossierRegistry dossiers,
    TimeProvider time,
    ILogger<SectorDeliveryService> logger)
{
    public const string Consumer = "deliver-to-sector";
    public const string NoSectorGateway = "NoSectorGateway";
    public const string SectorRefused = "SectorRefused";

    public async Task DeliverAsync(DossierRouted routed, QueueFunctionContext context, CancellationToken cancellationToken)
    {
        if (routed.SectorSystem is not { } system || sectors.For(system) is not { } gateway)
        {
            await context.DeadLetterAsync(NoSectorGateway, $"No connector is configured for sector system '{routed.SectorSystem}' (Connectors:Sectors:<System>).", cancellationToken);
            return;
        }

        SectorReceipt receipt;
        try
        {
            receipt = await gateway.DeliverAsync(routed, cancellationToken);
        }
        catch (GatewayException ex) when (ex.Failure != GatewayFailure.Unavailable)
        {
            await context.DeadLetterAsync(SectorRefused, $"The {system} system refused dossier {routed.CityCode}: {ex.Message}", cancellationToken);
            return;
        }

        await using var transaction = await transactions.BeginAsync(cancellationToken);
        if (!await transaction.TryRecordProcessedAsync(Consumer, context.MessageId, cancellationToken))
        {
            return;
        }

        await dossiers.SetSectorReceiptAsync(transaction, routed.PortalCode, receipt.ReceiptId, cancellationToken);

        await dossiers.AppendAsync(
            transaction,
            FlowMessages.HubStep(routed.PortalCode, time.GetUtcNow(), $"Chuyển hồ sơ sang hệ thống chuyên ngành ({system}); số biên nhận {receipt.ReceiptId}.", messageId: context.MessageId),
            cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        Log.SectorDelivered(logger, routed.CityCode, system, receipt.ReceiptId);
    }
}
