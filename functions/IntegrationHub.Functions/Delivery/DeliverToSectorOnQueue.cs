using IntegrationHub.Runtime.Functions;

namespace IntegrationHub.Functions.Delivery;

/// <summary>Pushes routed dossiers to their sector systems (queue <c>deliver-sector</c>).</summary>
internal sealed class DeliverToSectorOnQueue(SectorDeliveryService delivery) : IQueueFunction<DossierRouted>
{
    public async Task RunAsync(DossierRouted message, QueueFunctionContext context, CancellationToken cancellationToken) =>
        await context.SettleAsync(await delivery.DeliverAsync(message, context.MessageId, cancellationToken), cancellationToken);
}
