using IntegrationHub.Core.Messaging;

namespace IntegrationHub.Core.Store;

/// <summary>The dossier registry and timelines, written inside a unit of work.</summary>
public interface IDossierRegistry
{
    /// <summary>Finds a dossier by portal code or city code.</summary>
    Task<DossierRecord?> FindAsync(IHubTransaction transaction, string code, CancellationToken cancellationToken);

    /// <summary>
    /// Adds dossiers, in order; for each, false when one with the same portal code exists (or came
    /// earlier in <paramref name="records"/>).
    /// </summary>
    Task<IReadOnlyList<bool>> TryAddAsync(IHubTransaction transaction, IReadOnlyList<DossierRecord> records, CancellationToken cancellationToken);

    /// <summary>
    /// Saves a changed dossier; <see cref="DossierRecord.Version"/> must be the version read, and is
    /// bumped. A concurrent change makes it throw <see cref="ConcurrencyException"/>, or, where the store
    /// sends the change with the commit (PostgreSQL), makes the commit throw it, every change of the
    /// transaction rolled back.
    /// </summary>
    Task<DossierRecord> SaveAsync(IHubTransaction transaction, DossierRecord record, CancellationToken cancellationToken);

    /// <summary>
    /// Routes a dossier that has no city code yet without reading it first: the routing's city code,
    /// department and progress, stage <see cref="DossierStage.Routed"/>, version bumped. When there is
    /// no such dossier or it has a city code already, it throws <see cref="ConcurrencyException"/>, or,
    /// where the store sends the change with the commit (PostgreSQL), makes the commit throw it, every
    /// change of the transaction rolled back: then read the dossier and save it instead.
    /// </summary>
    Task RouteUncodedAsync(IHubTransaction transaction, string portalCode, DossierRouting routing, CancellationToken cancellationToken);

    /// <summary>Moves a dossier to a stage; returns when it was received, or null when there is no such dossier.</summary>
    Task<DateTimeOffset?> AdvanceStageAsync(IHubTransaction transaction, string portalCode, DossierStage stage, CancellationToken cancellationToken);

    /// <summary>
    /// Moves a dossier to a stage when the step already knows when it was received. A step's last word on
    /// the dossier: a store may write it with the commit, so the transaction does not read the dossier after it.
    /// </summary>
    Task SetStageAsync(IHubTransaction transaction, string portalCode, DossierStage stage, CancellationToken cancellationToken);

    /// <summary>
    /// Records that the portal was told the change of <paramref name="changedAt"/>, unless it was told a later one.
    /// A step's last word on the dossier: a store may write it with the commit, so the transaction does not read the dossier after it.
    /// </summary>
    Task MarkPortalSyncedAsync(IHubTransaction transaction, string portalCode, DateTimeOffset changedAt, CancellationToken cancellationToken);

    /// <summary>
    /// Records a sector system's receipt for a dossier. A step's last word on the dossier: a store may write it
    /// with the commit, so the transaction does not read the dossier after it.
    /// </summary>
    Task SetSectorReceiptAsync(IHubTransaction transaction, string portalCode, string receiptId, CancellationToken cancellationToken);

    /// <summary>Appends a step to a dossier's timeline (a store may write it with the commit: nothing reads it back in the transaction).</summary>
    Task AppendAsync(IHubTransaction transaction, TimelineEvent step, CancellationToken cancellationToken);

    /// <summary>Reads a dossier by portal code or city code, outside a unit of work.</summary>
    Task<DossierRecord?> ReadAsync(string code, CancellationToken cancellationToken);

    /// <summary>
    /// The latest status change the portal has been told of for the dossier of <paramref name="portalCode"/>
    /// (null when none, or no such dossier), outside a unit of work.
    /// </summary>
    Task<DateTimeOffset?> PortalSyncedAtAsync(string portalCode, CancellationToken cancellationToken);

    /// <summary>Reads a dossier's timeline, oldest first.</summary>
    Task<IReadOnlyList<TimelineEvent>> TimelineAsync(string portalCode, CancellationToken cancellationToken);

    /// <summary>Dossiers routed and not final whose due date is before <paramref name="before"/>, soonest first.</summary>
    Task<IReadOnlyList<DossierRecord>> DueBeforeAsync(DateTimeOffset before, int limit, CancellationToken cancellationToken);

    /// <summary>Routed dossiers whose clock is paused for supplementary documents, longest paused first.</summary>
    Task<IReadOnlyList<DossierRecord>> PausedAsync(int limit, CancellationToken cancellationToken);
}

/// <summary>Positions in the portal's listings, moved only with the sends they cover.</summary>
public interface ISyncCursors
{
    /// <summary>The stored cursor, or null before the first sync.</summary>
    Task<string?> GetAsync(string name, CancellationToken cancellationToken);

    /// <summary>Moves the cursor in the unit of work that made the page's items durable.</summary>
    Task SetAsync(IHubTransaction transaction, string name, string cursor, CancellationToken cancellationToken);
}

/// <summary>Deadline alerts: one per dossier per threshold.</summary>
public interface IDeadlineAlerts
{
    /// <summary>Records an alert; false when that dossier already had one for that threshold.</summary>
    Task<bool> TryRaiseAsync(IHubTransaction transaction, string portalCode, string threshold, DateTimeOffset at, CancellationToken cancellationToken);
}

/// <summary>Someone else changed the record since it was read.</summary>
public sealed class ConcurrencyException(string message) : Exception(message);
