using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using IntegrationHub.StandIns.Http;
using WireMock;

namespace IntegrationHub.StandIns.Systems;

/// <summary>
/// A system's OAuth2 token endpoint (client credentials, HTTP Basic): a fresh bearer token valid
/// 3600 s for its client; 400 <c>unsupported_grant_type</c> for another grant; 401
/// <c>invalid_client</c> for anyone else. The API does not check the token beyond its form: an
/// expired one is a fault a test puts in front (<see cref="StandInFaults.ExpiredToken"/>).
/// </summary>
internal sealed class TokenEndpoint(StandInSystem system)
{
    private const string Alphanumeric = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private readonly string basic = $"Basic {Convert.ToBase64String(Encoding.UTF8.GetBytes($"{system.ClientId}:{system.ClientSecret}"))}";

    public IResponseMessage Answer(IRequestMessage request)
    {
        if (request.Header("Authorization") != basic)
        {
            return Replies.Json(401, new JsonObject { ["error"] = "invalid_client", ["error_description"] = "Client authentication failed" });
        }

        if (request.Body?.Contains("grant_type=client_credentials", StringComparison.Ordinal) != true)
        {
            return Replies.Json(400, new JsonObject { ["error"] = "unsupported_grant_type", ["error_description"] = "Only client_credentials is supported" });
        }

        return Replies.Json(200, new JsonObject
        {
            ["access_token"] = RandomNumberGenerator.GetString(Alphanumeric, 40),
            ["token_type"] = "Bearer",
            ["expires_in"] = 3600,
            ["scope"] = "default",
        });
    }
}
