using IntegrationHub.Core.Gateways;
using IntegrationHub.Schemas;

namespace IntegrationHub.Flows.Tests;

/// <summary>
/// The National Public Service Portal in memory: a feed listed a page at a time from a cursor (the
/// position), and every status and progress record it was told; it fails as a test tells it to.
/// </summary>
internal sealed class InMemoryPortal : IPortalGateway
{
    private readonly List<PortalSubmission> feed = [];

    /// <summary>What the portal does with the next calls: nothing (answers), is unavailable, or refuses.</summary>
    public GatewayFailure? Failing { get; set; }

    /// <summary>The status changes the portal was told, in order.</summary>
    public List<SyncPortalStatus> Synced { get; } = [];

    /// <summary>The progress records the portal was told, in order.</summary>
    public List<(string PortalCode, ProgressRecord Record)> Progress { get; } = [];

    public void List(params IEnumerable<SubmissionReceived> submissions) =>
        feed.AddRange(submissions.Select(s => new PortalSubmission { PortalCode = s.PortalCode, Submission = s, RawJson = "{}" }));

    public void ListUnreadable(string? portalCode, string problem) =>
        feed.Add(new PortalSubmission { PortalCode = portalCode, Problem = problem, RawJson = $$"""{"MaHoSo":"{{portalCode}}"}""" });

    public Task<SubmissionPage> ListSubmissionsAsync(string? cursor, int pageSize, CancellationToken cancellationToken)
    {
        ThrowIfFailing("LayDanhSachHoSoMoi");
        var from = cursor is null ? 0 : int.Parse(cursor, System.Globalization.CultureInfo.InvariantCulture);
        var page = feed.Skip(from).Take(pageSize).ToList();
        var next = from + page.Count;
        return Task.FromResult(new SubmissionPage(page, next.ToString(System.Globalization.CultureInfo.InvariantCulture), next < feed.Count));
    }

    public Task<PortalSyncOutcome> SyncDossierAsync(SyncPortalStatus change, CancellationToken cancellationToken)
    {
        ThrowIfFailing("DongBoHoSoMC");
        var inserted = Synced.TrueForAll(s => s.PortalCode != change.PortalCode);
        Synced.Add(change);
        return Task.FromResult(inserted ? PortalSyncOutcome.Inserted : PortalSyncOutcome.Updated);
    }

    public Task PushProgressAsync(string portalCode, IReadOnlyList<ProgressRecord> records, CancellationToken cancellationToken)
    {
        ThrowIfFailing("CapNhatTienDoHoSoMC");
        Progress.AddRange(records.Select(r => (portalCode, r)));
        return Task.CompletedTask;
    }

    public Task<PortalDossierView?> LookupAsync(string portalCode, CancellationToken cancellationToken) => throw new NotSupportedException("The flows do not look dossiers up.");

    public Task<IReadOnlyList<PortalProcedure>> ListProceduresAsync(CancellationToken cancellationToken) => throw new NotSupportedException("The flows do not read the catalogue.");

    private void ThrowIfFailing(string operation)
    {
        if (Failing is { } failure)
        {
            throw new GatewayException("portal", operation, failure, $"The portal {(failure == GatewayFailure.Unavailable ? "is unavailable" : "refused the call (error_code 1)")}.", errorCode: "1");
        }
    }
}
