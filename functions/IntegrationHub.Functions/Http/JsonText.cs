using System.Text.Json;
using IntegrationHub.Schemas;
using Microsoft.AspNetCore.Mvc;

namespace IntegrationHub.Functions.Http;

/// <summary>Whether a body is one JSON document whose objects name each property once.</summary>
internal static class JsonText
{
    private static readonly JsonSerializerOptions Strict = new() { AllowDuplicateProperties = false };

    /// <summary>Null when the text is JSON without a repeated property; otherwise the problem to answer.</summary>
    public static ProblemDetails? Check(ReadOnlyMemory<byte> utf8)
    {
        try
        {
            using var document = JsonDocument.Parse(utf8, HubJson.DocumentOptions);
            return null;
        }
        catch (JsonException ex) when (Duplicate(utf8.Span) is { } field)
        {
            var error = new FieldError(field, "DuplicateProperty");
            return Problems.Create(Problems.ValidationFailed, $"{field}: the property is named twice in one object ({ex.Message}); name it once.", new Dictionary<string, object?> { ["errors"] = new[] { error } });
        }
        catch (JsonException ex)
        {
            return Problems.Create(Problems.MalformedJson, $"The body is not valid JSON: {ex.Message}");
        }
    }

    /// <summary>
    /// The path of the first property named twice, e.g. <c>data[3].ChuHoSo</c>: the serializer says in
    /// which object (its path) and which name (its message quotes it).
    /// </summary>
    private static string? Duplicate(ReadOnlySpan<byte> utf8)
    {
        try
        {
            JsonSerializer.Deserialize<JsonElement>(utf8, Strict);
            return null;
        }
        catch (JsonException ex) when (ex.Message.StartsWith("Duplicate property", StringComparison.Ordinal))
        {
            var quoted = ex.Message.Split('\'');
            var name = quoted.Length >= 3 ? quoted[1] : "?";
            var parent = (ex.Path ?? "$").TrimStart('$').TrimStart('.');
            return parent.Length == 0 ? name : $"{parent}.{name}";
        }
    }
}
