using IntegrationHub.Core.Gateways;
using IntegrationHub.Runtime.Functions;

namespace IntegrationHub.Functions.Status;

/// <summary>
/// Tells the portal a status change: the dossier's status (insert, or update when the portal has
/// it) unless a later change was already told, so that a late message never turns the portal's
/// status back; and the change's progress records, in batches. A refusal by the portal is refused
/// with the portal's own code.
/// </summary>
internal sealed class PortalStatusService(
    IPortalGateway portal,
    IDossierRegistry dossiers,
    IdempotentStep step,
    TimeProvider time,
    ILogger<PortalStatusService> logger)
{
    public const string Consumer = "push-status-to-portal";
    public const string PortalRefused = "PortalRefused";

    /// <summary>Tells the portal the change carried by message <paramref name="messageId"/>.</summary>
    public async Task<StepOutcome> PushAsync(SyncPortalStatus change, string messageId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        var stale = await dossiers.PortalSyncedAtAsync(change.PortalCode, cancellationToken) is { } synced && synced >= change.ChangedAt;
        return await step.RunAsync(
            Consumer,
            messageId,
            async token =>
            {
                if (!stale)
                {
                    await portal.SyncDossierAsync(change, token);
                }

                await portal.PushProgressAsync(change.PortalCode, change.Progress, token);
                return stale;
            },
            ex => StepOutcome.Refused(PortalRefused, $"The portal refused the status of {change.PortalCode}: {ex.Message}"),
            async (transaction, progressOnly, token) =>
            {
                await dossiers.MarkPortalSyncedAsync(transaction, change.PortalCode, change.ChangedAt, token);
                await dossiers.AppendAsync(transaction, FlowMessages.HubStep(change.PortalCode, time.GetUtcNow(), HubTexts.PortalTold(change.Status, progressOnly), messageId: messageId), token);
            },
            progressOnly => Log.PortalTold(logger, change.PortalCode, (int)change.Status, progressOnly),
            cancellationToken);
    }
}
