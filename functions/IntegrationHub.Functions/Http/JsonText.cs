using System.Text.Json;
using IntegrationHub.Schemas;
using Microsoft.AspNetCore.Mvc;

namespace IntegrationHub.Functions.Http;

/// <summary>Whether a body is one JSON document whose objects name each property once.</summary>
internal static class JsonText
{
    /// <summary>The error a field named twice gets in a problem's <c>errors</c>.</summary>
    public const string DuplicateProperty = "DuplicateProperty";

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
            var error = new FieldError(field, DuplicateProperty);
            return Problems.Create(Problems.ValidationFailed, $"{field}: the property is named twice in one object ({ex.Message}); name it once.", new Dictionary<string, object?> { ["errors"] = new[] { error } });
        }
        catch (JsonException ex)
        {
            return Problems.Create(Problems.MalformedJson, $"The body is not valid JSON: {ex.Message}");
        }
    }

    /// <summary>
    /// The path of the property a reader refused as named twice, e.g. <c>data[3].ChuHoSo</c>: the
    /// serializer says in which object (its path) and which name (its message quotes it); null for any
    /// other failure.
    /// </summary>
    public static string? DuplicateOf(JsonException failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        if (!failure.Message.StartsWith("Duplicate property", StringComparison.Ordinal))
        {
            return null;
        }

        var quoted = failure.Message.Split('\'');
        var name = quoted.Length >= 3 ? quoted[1] : "?";
        var path = (failure.Path ?? "$").TrimStart('$').TrimStart('.');

        // A typed reader's path ends at the property itself; a document reader's at its object.
        return path.EndsWith(name, StringComparison.Ordinal) ? path : path.Length == 0 ? name : $"{path}.{name}";
    }

    private static string? Duplicate(ReadOnlySpan<byte> utf8)
    {
        try
        {
            JsonSerializer.Deserialize<JsonElement>(utf8, Strict);
            return null;
        }
        catch (JsonException ex)
        {
            return DuplicateOf(ex);
        }
    }
}
