using IntegrationHub.Schemas;

namespace IntegrationHub.Core.Gateways;

/// <summary>The National Public Service Portal, as the hub uses it.</summary>
public interface IPortalGateway
{
    /// <summary>
    /// Lists submissions newer than <paramref name="cursor"/> (from the start when null), one page.
    /// A submission that cannot be read is still returned, with the problem, so that nothing is
    /// silently dropped.
    /// </summary>
    Task<SubmissionPage> ListSubmissionsAsync(string? cursor, int pageSize, CancellationToken cancellationToken);

    /// <summary>
    /// Tells the portal a dossier's status: inserts it, or updates it when the portal answers that
    /// it already exists. Safe to repeat.
    /// </summary>
    Task<PortalSyncOutcome> SyncDossierAsync(SyncPortalStatus change, CancellationToken cancellationToken);

    /// <summary>Adds progress records (<c>QuaTrinhXuLy</c>) to a dossier's history, in batches.</summary>
    Task PushProgressAsync(string portalCode, IReadOnlyList<ProgressRecord> records, CancellationToken cancellationToken);

    /// <summary>Looks a dossier up by its portal code; null when the portal does not know it.</summary>
    Task<PortalDossierView?> LookupAsync(string portalCode, CancellationToken cancellationToken);

    /// <summary>The portal's procedure catalogue.</summary>
    Task<IReadOnlyList<PortalProcedure>> ListProceduresAsync(CancellationToken cancellationToken);
}

/// <summary>One page of submissions.</summary>
/// <param name="Items">The submissions, oldest first.</param>
/// <param name="NextCursor">Where the next page starts; store it once the page's items are durable.</param>
/// <param name="HasMore">Whether another page is waiting.</param>
public sealed record SubmissionPage(IReadOnlyList<PortalSubmission> Items, string? NextCursor, bool HasMore);

/// <summary>A submission as listed by the portal: mapped when it could be read, with the problem when not.</summary>
public sealed record PortalSubmission
{
    /// <summary>The portal's dossier code, when the item has one.</summary>
    public string? PortalCode { get; init; }

    /// <summary>The submission in the hub's terms; null when it could not be read.</summary>
    public SubmissionReceived? Submission { get; init; }

    /// <summary>Why it could not be read, naming the portal field (e.g. <c>NgayNopHoSo: not a yyyyMMddHHmmss date</c>).</summary>
    public string? Problem { get; init; }

    /// <summary>The item exactly as the portal sent it, kept for the dead-letter queue.</summary>
    public required string RawJson { get; init; }
}

/// <summary>What a sync did.</summary>
public enum PortalSyncOutcome
{
    /// <summary>The portal did not have the dossier; it was inserted.</summary>
    Inserted,
    /// <summary>The portal had the dossier; it was updated.</summary>
    Updated,
}

/// <summary>A dossier as the portal shows it.</summary>
/// <param name="PortalCode">The portal's dossier code.</param>
/// <param name="Status">Its status on the portal.</param>
/// <param name="DueAt">Its due date on the portal, if set.</param>
/// <param name="Progress">The progress records the portal holds, oldest first.</param>
public sealed record PortalDossierView(string PortalCode, DossierStatus Status, DateTimeOffset? DueAt, IReadOnlyList<ProgressRecord> Progress);

/// <summary>A procedure of the portal's catalogue.</summary>
/// <param name="Code">Procedure code.</param>
/// <param name="Name">Procedure name.</param>
/// <param name="FieldCode">Field code.</param>
public sealed record PortalProcedure(string Code, string Name, string? FieldCode);
