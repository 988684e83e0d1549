using IntegrationHub.Runtime.Functions;
using IntegrationHub.Schemas;

namespace IntegrationHub.Functions.Status;

/// <summary>Tells the portal each status change made in the city (queue <c>portal-status</c>).</summary>
internal sealed class PushStatusToPortalOnQueue(PortalStatusService portal) : IQueueFunction<SyncPortalStatus>
{
    public Task RunAsync(SyncPortalStatus message, QueueFunctionContext context, CancellationToken cancellationToken) =>
        portal.PushAsync(message, context, cancellationToken);
}
