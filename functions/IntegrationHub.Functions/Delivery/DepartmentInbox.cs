using System.Text.Json;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Functions.Delivery;

/// <summary>A dossier a department pulled, held for it under a lock until it acknowledges it.</summary>
/// <param name="LockToken">What to acknowledge it with.</param>
/// <param name="LockedUntil">When it is offered again unless acknowledged.</param>
/// <param name="DeliveryCount">How many times it has been pulled, this time included.</param>
/// <param name="Dossier">The dossier.</param>
internal sealed record PulledDossier(string LockToken, DateTimeOffset LockedUntil, int DeliveryCount, DossierRouted Dossier);

/// <summary>
/// A department's queue seen over HTTP: it pulls dossiers under a lock and acknowledges each once
/// it holds it safely; what it does not acknowledge in time is offered again. The lock is shared by
/// every hub instance, so the acknowledgement may reach another instance than the pull did.
/// </summary>
internal sealed class DepartmentInbox(
    Reloadable<ReferenceData> referenceData,
    ISharedLockReceiver pulls,
    IQueueSettlement queues,
    IHubTransactions transactions,
    IDossierRegistry dossiers,
    IOptions<FlowOptions> options,
    TimeProvider time)
{
    /// <summary>
    /// The department's queue in the newest routing table version that gives it one; null for an
    /// unknown department. A department merged into another keeps reading its own queue, so that the
    /// dossiers routed to it before the merger are not stranded.
    /// </summary>
    public string? QueueOf(string department) =>
        referenceData.Current.Routing.Versions.Reverse().Select(v => v.Department(department)).FirstOrDefault(d => d is { MergedInto: null, Queue: not null })?.Queue;

    public async Task<IReadOnlyList<PulledDossier>> PullAsync(string queue, int max, TimeSpan wait, CancellationToken cancellationToken)
    {
        var received = await pulls.ReceiveAsync(queue, Math.Clamp(max, 1, options.Value.MaxPull), wait, cancellationToken);
        return [.. received.Select(m => new PulledDossier(m.LockToken, m.LockedUntilUtc, m.DeliveryCount, JsonSerializer.Deserialize<DossierRouted>(m.Body.Span, HubJson.Options)!))];
    }

    /// <summary>Completes the pulled message and records on the timeline that the department holds the dossier.</summary>
    /// <exception cref="MessageLockLostException">The lock expired or the token is unknown.</exception>
    public async Task AcknowledgeAsync(string queue, string department, DossierRecord dossier, string lockToken, string caller, CancellationToken cancellationToken)
    {
        await queues.CompleteAsync(queue, lockToken, cancellationToken);
        await using var transaction = await transactions.BeginAsync(cancellationToken);
        await dossiers.AppendAsync(transaction, new TimelineEvent
        {
            PortalCode = dossier.PortalCode,
            At = time.GetUtcNow(),
            Actor = caller,
            Unit = department,
            Action = HubTexts.DepartmentHolds,
        }, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}
