using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace IntegrationHub.EndToEnd.Tests;

/// <summary>The test playing the portal: pushes dossiers in the portal's format, signed as the webhook expects.</summary>
public static class PortalPush
{
    public static HttpRequestMessage Signed(JsonObject dossier, DateTimeOffset signedAt, string secret = HubSettings.WebhookSecret) =>
        Signed(new JsonObject { ["data"] = new JsonArray(dossier.DeepClone()) }.ToJsonString(), signedAt, secret);

    /// <summary>A push of a body exactly as given (to send what a JSON writer would not write).</summary>
    public static HttpRequestMessage Signed(string body, DateTimeOffset signedAt, string secret = HubSettings.WebhookSecret)
    {
        var timestamp = signedAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signature = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{body}")));
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/portal/submissions", UriKind.Relative))
        {
            Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
        request.Headers.Add("X-Portal-Timestamp", timestamp);
        request.Headers.Add("X-Portal-Signature", signature);
        return request;
    }

    /// <summary>A good dossier of the stand-in feed under a new code, submitted at <paramref name="submittedAt"/>.</summary>
    public static JsonObject Dossier(int feedPosition, string portalCode, DateTimeOffset submittedAt)
    {
        var dossier = StandInData.Submissions[feedPosition - 1].DeepClone().AsObject();
        dossier["MaHoSo"] = portalCode;
        dossier["NgayNopHoSo"] = Core.VietnamTime.ToLocal(submittedAt).ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
        return dossier;
    }
}
