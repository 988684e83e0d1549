using System.Globalization;
using System.Text.Json.Nodes;

namespace IntegrationHub.Testing.WireMock;

/// <summary>
/// A fault the stand-ins can answer with: a WireMock response from the catalogue in
/// <c>mocks/faults/</c> (slow, 5xx with <c>Retry-After</c>, 429, connection reset, malformed JSON,
/// expired token, ...), applied to one test's requests with <see cref="WireMockScope.FailAsync"/>.
/// </summary>
public sealed class WireMockFault
{
    private WireMockFault(string name, JsonObject response)
    {
        Name = name;
        Response = response;
    }

    /// <summary>The fault's name in the catalogue, e.g. <c>status-503-retry-after</c>.</summary>
    public string Name { get; }

    /// <summary>WireMock's response JSON.</summary>
    public JsonObject Response { get; }

    /// <summary>500 with the gateway's error body.</summary>
    public static WireMockFault Status500 => Load("status-500");

    /// <summary>503 with <c>Retry-After: 1</c>.</summary>
    public static WireMockFault Status503RetryAfter => Load("status-503-retry-after");

    /// <summary>429 with <c>Retry-After: 1</c>.</summary>
    public static WireMockFault Status429 => Load("status-429");

    /// <summary>A 504 from the gateway after 3 seconds.</summary>
    public static WireMockFault Slow => Load("slow");

    /// <summary>The connection is reset by the peer.</summary>
    public static WireMockFault ConnectionReset => Load("connection-reset");

    /// <summary>The connection closes without a response.</summary>
    public static WireMockFault EmptyResponse => Load("empty-response");

    /// <summary>A response whose chunked body is malformed.</summary>
    public static WireMockFault MalformedChunk => Load("malformed-chunk");

    /// <summary>Garbage, then the connection closes.</summary>
    public static WireMockFault RandomData => Load("random-data");

    /// <summary>200 with JSON cut off half-way.</summary>
    public static WireMockFault MalformedJson => Load("malformed-json");

    /// <summary>401: the access token expired.</summary>
    public static WireMockFault ExpiredToken => Load("expired-token");

    /// <summary>400 with the gateway's error code 108 ("Mã tỉnh không đúng").</summary>
    public static WireMockFault Rejected400 => Load("rejected-400");

    /// <summary>Reads a fault of the catalogue, <c>mocks/faults/{name}.json</c>.</summary>
    public static WireMockFault Load(string name)
    {
        var file = RepoPaths.InRepo("mocks", "faults", $"{name}.json");
        var response = JsonNode.Parse(File.ReadAllText(file))?.AsObject() ?? throw new InvalidDataException($"{file} is not a JSON object.");
        return new WireMockFault(name, response);
    }

    /// <summary>An answer of the caller's own: WireMock's response JSON.</summary>
    public static WireMockFault Custom(string name, JsonObject response) => new(name, response);

    /// <summary>The same fault answered after a delay.</summary>
    public WireMockFault WithDelay(TimeSpan delay) => With(r => r["fixedDelayMilliseconds"] = (int)delay.TotalMilliseconds);

    /// <summary>The same fault with another <c>Retry-After</c> (seconds, or an HTTP date).</summary>
    public WireMockFault WithRetryAfter(string value) => With(r =>
    {
        var headers = r["headers"]?.AsObject() ?? [];
        headers["Retry-After"] = value;
        r["headers"] = headers;
    });

    /// <summary>The same fault without <c>Retry-After</c>.</summary>
    public WireMockFault WithoutRetryAfter() => With(r => r["headers"]?.AsObject().Remove("Retry-After"));

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Name}: {Response.ToJsonString()}");

    private WireMockFault With(Action<JsonObject> change)
    {
        var copy = Response.DeepClone().AsObject();
        change(copy);
        return new WireMockFault(Name, copy);
    }
}
