using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using WireMock;

namespace IntegrationHub.StandIns.Http;

/// <summary>What the stand-ins read from a request: headers without case, the body as JSON, a JSON value as text.</summary>
internal static class RequestReading
{
    public static string? Header(this IRequestMessage request, string name)
    {
        foreach (var (key, values) in request.Headers ?? new Dictionary<string, WireMock.Types.WireMockList<string>>())
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                return string.Join(",", values);
            }
        }

        return null;
    }

    public static string? Query(this IRequestMessage request, string name) =>
        request.Query is { } query && query.TryGetValue(name, out var values) ? values.FirstOrDefault() : null;

    /// <summary>The body as a JSON object, or null when it is not one.</summary>
    public static JsonObject? JsonBody(this IRequestMessage request)
    {
        var text = request.Body ?? (request.BodyAsBytes is { } bytes ? Encoding.UTF8.GetString(bytes) : null);
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(text) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// A value as JSON path matching compares it: a string as it is, a number or boolean as its JSON
    /// text; null for a value that is absent or null. Objects and arrays give their JSON text.
    /// </summary>
    public static string? Text(this JsonNode? node) => node switch
    {
        null => null,
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        _ => node.ToJsonString(),
    };

    /// <summary>The first item of an array property (<c>$.data[0]</c>), or null.</summary>
    public static JsonNode? Item(this JsonNode? node, string property, int index) =>
        node is JsonObject o && o[property] is JsonArray array && index < array.Count ? array[index] : null;
}
