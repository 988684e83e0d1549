using IntegrationHub.Runtime.Functions;

namespace IntegrationHub.Functions.Status;

/// <summary>Tells the portal each status change made in the city (queue <c>portal-status</c>).</summary>
internal sealed class PushStatusToPortalOnQueue(PortalStatusService portal) : IQueueFunction<SyncPortalStatus>
{
    public async Task RunAsync(SyncPortalStatus message, QueueFunctionContext context, CancellationToken cancellationToken) =>
        await context.SettleAsync(await portal.PushAsync(message, context.MessageId, cancellationToken), cancellationToken);
}
