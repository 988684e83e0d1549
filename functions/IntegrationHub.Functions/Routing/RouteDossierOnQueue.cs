using IntegrationHub.Runtime.Functions;

namespace IntegrationHub.Functions.Routing;

/// <summary>Routes each verified dossier to its competent department (queue <c>route</c>).</summary>
internal sealed class RouteDossierOnQueue(RoutingService routing) : IQueueFunction<ApplicantVerified>
{
    public async Task RunAsync(ApplicantVerified message, QueueFunctionContext context, CancellationToken cancellationToken) =>
        await context.SettleAsync(await routing.RouteAsync(message, context.MessageId, context.DeliveryCount, cancellationToken), cancellationToken);
}
