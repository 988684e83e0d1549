using Refit;

namespace IntegrationHub.Connectors.Sectors;

/// <summary>A sector system's API (land registration, business registration, ...).</summary>
internal interface ISectorApi
{
    /// <summary>
    /// <c>TiepNhanHoSo</c>: the city code is the idempotency key; the system answers a repeat with the
    /// first receipt, so a delivery that may have been applied is safe to retry.
    /// </summary>
    [Post("/TiepNhanHoSo")]
    Task<HttpResponseMessage> DeliverAsync([Header(Resilience.ConnectorRequest.IdempotencyKeyHeader)] string idempotencyKey, [Body] SectorDossier dossier, CancellationToken cancellationToken);

    /// <summary><c>TraCuuTrangThai</c>: a dossier's status by receipt id.</summary>
    [Get("/TraCuuTrangThai")]
    Task<HttpResponseMessage> GetStatusAsync([AliasAs("maBienNhan")] string receiptId, CancellationToken cancellationToken);
}
