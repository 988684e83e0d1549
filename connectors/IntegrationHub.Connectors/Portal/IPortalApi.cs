using IntegrationHub.Connectors.Resilience;
using Refit;

namespace IntegrationHub.Connectors.Portal;

/// <summary>
/// The portal's services through the provincial gateway, each a POST of <c>{ service, madonvi, ... }</c>
/// to a path named after it. Replies are read by <see cref="Wire.GatewayCalls"/>, which names the
/// field of a reply it cannot read.
/// </summary>
internal interface IPortalApi
{
    /// <summary><c>LayDanhSachHoSoMoi</c>: a read, sent as POST.</summary>
    [Post("/LayDanhSachHoSoMoi")]
    [RetrySafe]
    Task<HttpResponseMessage> ListSubmissionsAsync([Body] ListSubmissionsRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// <c>DongBoHoSoMC</c>: safe to repeat, because a repeated insert is answered "already exists" and
    /// becomes an update, and an update sets the same status again: the dossier code keys it.
    /// </summary>
    [Post("/DongBoHoSoMC")]
    [RetrySafe]
    Task<HttpResponseMessage> SyncDossierAsync([Body] SyncDossierRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// <c>CapNhatTienDoHoSoMC</c>: the portal has no idempotency key for progress records, so a batch
    /// that may have been applied is not sent again, and a step never shows twice.
    /// </summary>
    [Post("/CapNhatTienDoHoSoMC")]
    Task<HttpResponseMessage> PushProgressAsync([Body] PushProgressRequest request, CancellationToken cancellationToken);

    /// <summary><c>TraCuuHoSo</c>: a read, sent as POST.</summary>
    [Post("/TraCuuHoSo")]
    [RetrySafe]
    Task<HttpResponseMessage> LookupAsync([Body] LookupRequest request, CancellationToken cancellationToken);

    /// <summary><c>LayDanhSachTTHC</c>: a read, sent as POST.</summary>
    [Post("/LayDanhSachTTHC")]
    [RetrySafe]
    Task<HttpResponseMessage> ListProceduresAsync([Body] PortalRequest request, CancellationToken cancellationToken);
}
