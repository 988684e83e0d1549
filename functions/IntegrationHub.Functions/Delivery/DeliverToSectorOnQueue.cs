using IntegrationHub.Runtime.Functions;
using IntegrationHub.Schemas;

namespace IntegrationHub.Functions.Delivery;

/// <summary>Pushes routed dossiers to their sector systems (queue <c>deliver-sector</c>).</summary>
internal sealed class DeliverToSectorOnQueue(SectorDeliveryService delivery) : IQueueFunction<DossierRouted>
{
    public Task RunAsync(DossierRouted message, QueueFunctionContext context, CancellationToken cancellationToken) =>
        delivery.DeliverAsync(message, context, cancellationToken);
}
