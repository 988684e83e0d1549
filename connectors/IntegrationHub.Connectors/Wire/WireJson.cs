using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace IntegrationHub.Connectors.Wire;

/// <summary>
/// JSON as the national gateways write it: the systems' own property names (no naming policy),
/// codes sometimes as strings and sometimes as numbers, unknown fields ignored (the systems add
/// fields without notice), nulls left out of what the hub sends, and a property named twice in
/// one object refused (no reader silently takes one of the two).
/// </summary>
internal static class WireJson
{
    public static JsonSerializerOptions Options { get; } = Create(allowDuplicates: false);

    /// <summary>
    /// For a page of items kept raw (the portal's listing): a repeated property inside one item is
    /// that item's problem, to be dead-lettered on its own, not the whole page's.
    /// </summary>
    public static JsonSerializerOptions PageOptions { get; } = Create(allowDuplicates: true);

    private static JsonSerializerOptions Create(bool allowDuplicates)
    {
        var options = new JsonSerializerOptions
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            NumberHandling = JsonNumberHandling.AllowReadingFromString,
            // Vietnamese text is sent as UTF-8, not as \u escapes.
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            AllowDuplicateProperties = allowDuplicates,
        };
        options.Converters.Add(new LooseStringConverter());
        options.Converters.Add(new LooseBooleanConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    /// <summary>Reads a string, or a number or boolean as its text (<c>"error_code": 0</c> and <c>"0"</c> both occur).</summary>
    private sealed class LooseStringConverter : JsonConverter<string>
    {
        public override bool HandleNull => false;

        public override string Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
        {
            JsonTokenType.String => reader.GetString()!,
            JsonTokenType.Number => reader.TryGetInt64(out var whole)
                ? whole.ToString(CultureInfo.InvariantCulture)
                : reader.GetDecimal().ToString(CultureInfo.InvariantCulture),
            JsonTokenType.True => "true",
            JsonTokenType.False => "false",
            _ => throw new JsonException($"expected text, found {reader.TokenType}"),
        };

        public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
    }

    /// <summary>Reads true/false, 1/0 or their text forms.</summary>
    private sealed class LooseBooleanConverter : JsonConverter<bool>
    {
        public override bool Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
        {
            JsonTokenType.True => true,
            JsonTokenType.False => false,
            JsonTokenType.Number when reader.TryGetInt32(out var n) && n is 0 or 1 => n == 1,
            JsonTokenType.String => reader.GetString() switch
            {
                "1" or "true" or "True" => true,
                "0" or "false" or "False" => false,
                var other => throw new JsonException($"'{other}' is not a boolean (true/false or 1/0)"),
            },
            _ => throw new JsonException($"expected a boolean, found {reader.TokenType}"),
        };

        public override void Write(Utf8JsonWriter writer, bool value, JsonSerializerOptions options) => writer.WriteBooleanValue(value);
    }
}
