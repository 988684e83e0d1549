using System.Text;
using System.Text.Json;
using IntegrationHub.Schemas;
using Microsoft.AspNetCore.Mvc;

namespace IntegrationHub.Functions.Http;

/// <summary>Whether a body is one JSON document whose objects name each property once.</summary>
internal static class JsonText
{
    /// <summary>The error a field named twice gets in a problem's <c>errors</c>.</summary>
    public const string DuplicateProperty = "DuplicateProperty";

    /// <summary>Null when the text is JSON without a repeated property; otherwise the problem to answer.</summary>
    public static ProblemDetails? Check(ReadOnlyMemory<byte> utf8)
    {
        try
        {
            using var document = JsonDocument.Parse(utf8, HubJson.DocumentOptions);
            return null;
        }
        catch (JsonException ex) when (FindDuplicate(utf8.Span) is { } field)
        {
            return Duplicated(field, ex);
        }
        catch (JsonException ex)
        {
            return Problems.Create(Problems.MalformedJson, $"The body is not valid JSON: {ex.Message}");
        }
    }

    /// <summary>The problem of a body that names <paramref name="field"/> twice in one object.</summary>
    public static ProblemDetails Duplicated(string field, JsonException refusal)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        return Problems.Create(
            Problems.ValidationFailed,
            $"{field}: the property is named twice in one object ({refusal.Message}); name it once.",
            new Dictionary<string, object?> { ["errors"] = new[] { new FieldError(field, DuplicateProperty) } });
    }

    /// <summary>
    /// The path of the first property named twice in one object, e.g. <c>data[3].ChuHoSo</c>, or null
    /// when there is none (or the text is not JSON). The library refuses such a document but says only
    /// the name, not where; this walk says where.
    /// </summary>
    public static string? FindDuplicate(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { AllowTrailingCommas = false });
        var frames = new List<(HashSet<string>? Names, string? Property, int Index)>();
        try
        {
            while (reader.Read())
            {
                var type = reader.TokenType;
                if (type is not (JsonTokenType.EndObject or JsonTokenType.EndArray or JsonTokenType.PropertyName) && frames.Count > 0 && frames[^1].Names is null)
                {
                    frames[^1] = frames[^1] with { Index = frames[^1].Index + 1 };
                }

                switch (type)
                {
                    case JsonTokenType.StartObject:
                        frames.Add((new HashSet<string>(StringComparer.Ordinal), null, 0));
                        break;
                    case JsonTokenType.StartArray:
                        frames.Add((null, null, -1));
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        frames.RemoveAt(frames.Count - 1);
                        break;
                    case JsonTokenType.PropertyName:
                        var name = reader.GetString()!;
                        frames[^1] = frames[^1] with { Property = name };
                        if (!frames[^1].Names!.Add(name))
                        {
                            return PathOf(frames);
                        }

                        break;
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON at all: no duplicate to name.
        }

        return null;
    }

    private static string PathOf(List<(HashSet<string>? Names, string? Property, int Index)> frames)
    {
        var path = new StringBuilder();
        foreach (var (names, property, index) in frames)
        {
            _ = names is null ? path.Append('[').Append(index).Append(']') : path.Append(path.Length == 0 ? "" : ".").Append(property);
        }

        return path.ToString();
    }
}
