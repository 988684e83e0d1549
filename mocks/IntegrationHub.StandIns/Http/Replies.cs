using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using WireMock;
using WireMock.Types;
using WireMock.Util;

namespace IntegrationHub.StandIns.Http;

/// <summary>The answers the stand-ins give, as WireMock.Net response messages: JSON in UTF-8, as the national gateways send it.</summary>
internal static class Replies
{
    public const string JsonContentType = "application/json; charset=utf-8";

    private static readonly JsonSerializerOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary><c>{ "error_code": code, "message": message }</c>, the gateways' reply.</summary>
    public static ResponseMessage Error(int status, string code, string message) =>
        Json(status, new JsonObject { ["error_code"] = code, ["message"] = message });

    public static ResponseMessage Json(int status, JsonNode body) => Bytes(status, Encoding.UTF8.GetBytes(body.ToJsonString(Options)));

    /// <summary>A body with these headers, or with the JSON content type alone.</summary>
    public static ResponseMessage Bytes(int status, byte[] body, IReadOnlyDictionary<string, string>? headers = null)
    {
        var message = new ResponseMessage
        {
            StatusCode = status,
            BodyData = new BodyData { DetectedBodyType = BodyType.Bytes, BodyAsBytes = body },
        };
        foreach (var (name, value) in headers ?? new Dictionary<string, string> { ["Content-Type"] = JsonContentType })
        {
            message.AddHeader(name, value);
        }

        return message;
    }
}
