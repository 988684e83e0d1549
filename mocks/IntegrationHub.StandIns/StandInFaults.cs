using System.Text.Json.Nodes;

namespace IntegrationHub.StandIns;

/// <summary>
/// The catalogue of faults the national and sector systems show: slow answers, 5xx, 429 with
/// <c>Retry-After</c>, malformed bodies, refusals, and faults on the connection itself. Each is
/// also named (<see cref="Named"/>), e.g. for a test's <c>[InlineData("connection-reset")]</c>.
/// </summary>
public static class StandInFaults
{
    private static readonly Dictionary<string, Func<StandInReply>> Catalogue = new(StringComparer.Ordinal)
    {
        ["slow"] = () => Slow,
        ["status-500"] = () => Status500,
        ["status-503-retry-after"] = () => Status503RetryAfter,
        ["status-429"] = () => Status429,
        ["connection-reset"] = () => ConnectionReset,
        ["empty-response"] = () => EmptyResponse,
        ["malformed-chunk"] = () => MalformedChunk,
        ["random-data"] = () => RandomData,
        ["malformed-json"] = () => MalformedJson,
        ["expired-token"] = () => ExpiredToken,
        ["rejected-400"] = () => Rejected400,
    };

    /// <summary>The names of the catalogue.</summary>
    public static IReadOnlyCollection<string> Names => Catalogue.Keys;

    /// <summary>A 504 from the gateway after 3 seconds.</summary>
    public static StandInReply Slow => Error(504, "504", "Hết thời gian chờ phản hồi từ hệ thống nguồn", "slow").WithDelay(TimeSpan.FromSeconds(3));

    /// <summary>500 with the gateway's error body.</summary>
    public static StandInReply Status500 => Error(500, "500", "Lỗi hệ thống, vui lòng thử lại sau", "status-500");

    /// <summary>503 with <c>Retry-After: 1</c>.</summary>
    public static StandInReply Status503RetryAfter => Error(503, "503", "Hệ thống đang bảo trì, vui lòng thử lại sau", "status-503-retry-after").WithRetryAfter("1");

    /// <summary>429 with <c>Retry-After: 1</c>.</summary>
    public static StandInReply Status429 => Error(429, "429", "Vượt quá số lượng yêu cầu cho phép trong một giây", "status-429").WithRetryAfter("1");

    /// <summary>The connection is reset by the peer.</summary>
    public static StandInReply ConnectionReset => StandInReply.Dropping(ConnectionFault.ConnectionReset, "connection-reset");

    /// <summary>The connection closes without a response.</summary>
    public static StandInReply EmptyResponse => StandInReply.Dropping(ConnectionFault.EmptyResponse, "empty-response");

    /// <summary>A response whose chunked body is malformed.</summary>
    public static StandInReply MalformedChunk => StandInReply.Dropping(ConnectionFault.MalformedChunk, "malformed-chunk");

    /// <summary>Garbage, then the connection closes.</summary>
    public static StandInReply RandomData => StandInReply.Dropping(ConnectionFault.RandomData, "random-data");

    /// <summary>200 with JSON cut off half-way.</summary>
    public static StandInReply MalformedJson => StandInReply.WithText(
        200, """{"error_code":"0","message":"Thành công","result":[{"MaHoSo":"G22.99-250106-0008""", "malformed-json");

    /// <summary>401: the access token expired.</summary>
    public static StandInReply ExpiredToken => Error(401, "100", "Lỗi xác thực: mã truy cập đã hết hạn", "expired-token")
        .WithHeader("WWW-Authenticate", "Bearer error=\"invalid_token\", error_description=\"The access token expired\"");

    /// <summary>400 with the gateway's error code 108 ("Mã tỉnh không đúng").</summary>
    public static StandInReply Rejected400 => Error(400, "108", "Mã tỉnh không đúng", "rejected-400");

    /// <summary>A fault of the catalogue by name, e.g. <c>status-503-retry-after</c>.</summary>
    public static StandInReply Named(string name) =>
        Catalogue.TryGetValue(name, out var fault) ? fault() : throw new ArgumentException($"No stand-in fault is named '{name}' ({string.Join(", ", Names)}).", nameof(name));

    private static StandInReply Error(int status, string code, string message, string name) =>
        StandInReply.WithJson(status, new JsonObject { ["error_code"] = code, ["message"] = message }, name);
}
