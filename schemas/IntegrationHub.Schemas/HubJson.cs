using System.Text.Json;
using System.Text.Json.Serialization;

namespace IntegrationHub.Schemas;

/// <summary>
/// The JSON settings of the hub's wire contract: camelCase names, enums as camelCase strings,
/// nulls left out, and unknown fields refused so that a typo in a message is an error, not a loss.
/// </summary>
public static class HubJson
{
    /// <summary>The options every message and HTTP body is written and read with.</summary>
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            RespectNullableAnnotations = true,
            RespectRequiredConstructorParameters = true,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
