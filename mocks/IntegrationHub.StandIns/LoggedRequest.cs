using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using IntegrationHub.StandIns.Http;

namespace IntegrationHub.StandIns;

/// <summary>A request as the stand-ins received it, recorded before it is answered.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Url">Path and query.</param>
/// <param name="Headers">The headers (names compared without case; several values joined by commas).</param>
/// <param name="Body">The body as text.</param>
/// <param name="LoggedAt">When it arrived.</param>
public sealed record LoggedRequest(string Method, string Url, IReadOnlyDictionary<string, string> Headers, string Body, DateTimeOffset LoggedAt)
{
    /// <summary>The path without the query.</summary>
    public string Path => Url.Split('?')[0];

    /// <summary>A header's value, or null.</summary>
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    /// <summary>A top-level property of a JSON object body as text (a number as its JSON text); null when absent or when the body is not a JSON object.</summary>
    public string? BodyProperty(string name)
    {
        try
        {
            return JsonNode.Parse(Body) is JsonObject body ? body[name].Text() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The body as JSON.</summary>
    public JsonNode Json() => JsonNode.Parse(Body) ?? throw new InvalidOperationException($"The body of {Method} {Url} is not JSON.");

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{LoggedAt:HH:mm:ss.fff} {Method} {Url}");
}
