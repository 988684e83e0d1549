using IntegrationHub.Core.Messaging;
using IntegrationHub.Core.Store;
using IntegrationHub.Functions.Flows;
using IntegrationHub.Runtime.Functions;
using IntegrationHub.Schemas;
using IntegrationHub.Core.Gateways;

namespace IntegrationHub.Functions.Status;

/// <summary>
/// Tells the portal a status change: the dossier's status (insert, or update when the portal has
/// it) unless a later change was already told, so that a late message never turns the portal's
/// status back; and the change's progress records, in batches. A refusal by the portal is
/// dead-lettered with the portal's own code.
/// </summary>
internal sealed class PortalStatusService(
    IPortalGateway portal,
    IHubTransactions transactions,
    IDossierRegistry dossiers,
    TimeProvider time,
    ILogger<PortalStatusService> logger)
{
    public const string Consumer = "push-status-to-portal";
    public const string PortalRefused = "PortalRefused";

    public async Task PushAsync(SyncPortalStatus change, QueueFunctionContext context, CancellationToken cancellationToken)
    {
        var dossier = await dossiers.ReadAsync(change.PortalCode, cancellationToken);
        var stale = dossier?.PortalSyncedAt is { } synced && synced >= change.ChangedAt;
        try
        {
            if (!stale)
            {
                await portal.SyncDossierAsync(change, cancellationToken);
            }

            await portal.PushProgressAsync(change.PortalCode, change.Progress, cancellationToken);
        }
        catch (GatewayException ex) when (ex.Failure != GatewayFailure.Unavailable)
        {
            await context.DeadLetterAsync(PortalRefused, $"The portal refused the status of {change.PortalCode}: {ex.Message}", cancellationToken);
            return;
        }

        await using var transaction = await transactions.BeginAsync(cancellationToken);
        if (!await transaction.TryRecordProcessedAsync(Consumer, context.MessageId, cancellationToken))
        {
            return;
        }

        await dossiers.MarkPortalSyncedAsync(transaction, change.PortalCode, change.ChangedAt, cancellationToken);

        var told = stale ? "Cổng Dịch vụ công quốc gia đã nhận tiến độ xử lý." : $"Cổng Dịch vụ công quốc gia đã cập nhật trạng thái {(int)change.Status}.";
        await dossiers.AppendAsync(transaction, FlowMessages.HubStep(change.PortalCode, time.GetUtcNow(), told, messageId: context.MessageId), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        Log.PortalTold(logger, change.PortalCode, (int)change.Status, stale);
    }
}
