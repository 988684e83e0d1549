using IntegrationHub.Connectors.Resilience;
using Refit;

namespace IntegrationHub.Connectors.Population;

/// <summary>The National Population Database through the provincial gateway.</summary>
internal interface IPopulationApi
{
    /// <summary>
    /// <c>TraCuuThongTinCongDan</c>: a read, sent as POST so that personal data never appears in a
    /// URL (and so in access logs).
    /// </summary>
    [Post("/TraCuuThongTinCongDan")]
    [RetrySafe]
    Task<HttpResponseMessage> VerifyAsync([Body] CitizenLookupRequest request, CancellationToken cancellationToken);
}
