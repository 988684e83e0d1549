using System.Text.Json;
using System.Text.Json.Serialization;

namespace IntegrationHub.Schemas;

/// <summary>
/// The JSON settings of the hub's wire contract: camelCase names, enums as camelCase strings,
/// nulls left out, unknown fields refused so that a typo in a message is an error, not a loss, and a
/// property named twice in one object refused, so that no reader silently takes one of the two.
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
            AllowDuplicateProperties = false,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    /// <summary>How a JSON document is parsed on its own: a property named twice in one object is refused.</summary>
    public static JsonDocumentOptions DocumentOptions { get; } = new() { AllowDuplicateProperties = false };

    /// <summary>The UTF-8 text without the byte-order mark some senders put before it.</summary>
    public static ReadOnlySpan<byte> WithoutByteOrderMark(ReadOnlySpan<byte> utf8) =>
        utf8.StartsWith(ByteOrderMark) ? utf8[ByteOrderMark.Length..] : utf8;

    private static ReadOnlySpan<byte> ByteOrderMark => [0xEF, 0xBB, 0xBF];
}
