using System.Net;
using System.Net.Http.Headers;
using IntegrationHub.Connectors.Resilience;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Connectors.Auth;

/// <summary>
/// Puts the system's access token on every request. When the system answers 401 (the token
/// expired early or was revoked), the token is fetched again and the request sent once more; a
/// second 401 is the system's answer.
/// </summary>
internal sealed class BearerTokenHandler(string system, AccessTokens tokens, ConnectorMetrics metrics, ILogger logger) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (ConnectorRequest.IsTokenRequest(request))
        {
            return await base.SendAsync(request, cancellationToken);
        }

        var token = await tokens.GetAsync(cancellationToken);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
        {
            return response;
        }

        // A 401 means the request was not processed, so sending it again cannot apply it twice.
        response.Dispose();
        Log.TokenRefused(logger, system, ConnectorRequest.OperationOf(request));
        metrics.TokenRefused(system);
        tokens.Invalidate(token);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await tokens.GetAsync(cancellationToken));
        return await base.SendAsync(request, cancellationToken);
    }
}
