using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using IntegrationHub.StandIns.Http;

namespace IntegrationHub.StandIns;

/// <summary>
/// An answer a test (or a developer) puts in front of a stand-in's own: a status with headers and a
/// body, after a delay, or a fault on the connection. <see cref="StandInFaults"/> has the catalogue;
/// a scope applies one with <see cref="StandInScope.Fail"/>.
/// </summary>
public sealed class StandInReply
{
    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly byte[] body;

    private StandInReply(string name, int status, IReadOnlyDictionary<string, string> headers, byte[] body, string? bodyFile, TimeSpan delay, ConnectionFault? connection)
    {
        Name = name;
        Status = status;
        Headers = headers;
        this.body = body;
        BodyFile = bodyFile;
        Delay = delay;
        Connection = connection;
    }

    /// <summary>Its name, e.g. <c>status-503-retry-after</c>.</summary>
    public string Name { get; }

    /// <summary>The HTTP status.</summary>
    public int Status { get; }

    /// <summary>The headers, <c>Content-Type</c> among them.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; }

    /// <summary>The body.</summary>
    public ReadOnlyMemory<byte> Body => body;

    /// <summary>A file below <c>mocks/__files</c> to answer with instead of <see cref="Body"/>, or null.</summary>
    public string? BodyFile { get; }

    /// <summary>How long the stand-in waits before it answers.</summary>
    public TimeSpan Delay { get; }

    /// <summary>The fault done to the connection instead of answering, or null.</summary>
    public ConnectionFault? Connection { get; }

    /// <summary>A JSON answer, in the gateways' content type.</summary>
    public static StandInReply WithJson(int status, JsonNode body, string name = "custom")
    {
        ArgumentNullException.ThrowIfNull(body);
        return WithText(status, body.ToJsonString(Json), name);
    }

    /// <summary>An answer whose body is this text, in the gateways' JSON content type (which it need not be).</summary>
    public static StandInReply WithText(int status, string body, string name = "custom") =>
        new(name, status, JsonHeaders(), Encoding.UTF8.GetBytes(body), null, TimeSpan.Zero, null);

    /// <summary>An answer whose body is a file below <c>mocks/__files</c>, e.g. <c>portal/dossiers/{code}.json</c>.</summary>
    public static StandInReply WithFile(int status, string file, string name = "custom") =>
        new(name, status, JsonHeaders(), [], file, TimeSpan.Zero, null);

    /// <summary>A fault on the connection.</summary>
    public static StandInReply Dropping(ConnectionFault fault, string name) =>
        new(name, 0, new Dictionary<string, string>(), [], null, TimeSpan.Zero, fault);

    /// <summary>The same answer after a delay.</summary>
    public StandInReply WithDelay(TimeSpan delay) => new(Name, Status, Headers, body, BodyFile, delay, Connection);

    /// <summary>The same answer with another <c>Retry-After</c> (seconds, or an HTTP date).</summary>
    public StandInReply WithRetryAfter(string value) => WithHeaders(h => h["Retry-After"] = value);

    /// <summary>The same answer without <c>Retry-After</c>.</summary>
    public StandInReply WithoutRetryAfter() => WithHeaders(h => h.Remove("Retry-After"));

    /// <summary>The same answer with one more header.</summary>
    public StandInReply WithHeader(string name, string value) => WithHeaders(h => h[name] = value);

    /// <inheritdoc />
    public override string ToString() => Connection is { } fault
        ? $"{Name}: {fault}"
        : string.Create(CultureInfo.InvariantCulture, $"{Name}: {Status} after {Delay.TotalMilliseconds} ms");

    private StandInReply WithHeaders(Action<Dictionary<string, string>> change)
    {
        var headers = new Dictionary<string, string>(Headers, StringComparer.OrdinalIgnoreCase);
        change(headers);
        return new StandInReply(Name, Status, headers, body, BodyFile, Delay, Connection);
    }

    private static Dictionary<string, string> JsonHeaders() =>
        new(StringComparer.OrdinalIgnoreCase) { ["Content-Type"] = Replies.JsonContentType };
}
