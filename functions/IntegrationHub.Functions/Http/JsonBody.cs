using System.Reflection;
using System.Text.Json;
using IntegrationHub.Runtime.Functions;
using IntegrationHub.Schemas;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Functions.Http;

/// <summary>
/// A request body read the strict way: JSON media type, within the size limit, valid against the
/// record's published schema (errors name each field), then read as the record. Anything else ends
/// the request with a problem response before the function runs.
/// </summary>
/// <typeparam name="T">A contract record of IntegrationHub.Schemas.</typeparam>
internal sealed class JsonBody<T>
    where T : class
{
    private JsonBody(T value, string raw)
    {
        Value = value;
        Raw = raw;
    }

    public T Value { get; }

    /// <summary>The body exactly as received.</summary>
    public string Raw { get; }

    public static async ValueTask<JsonBody<T>?> BindAsync(HttpContext context, ParameterInfo parameter)
    {
        var limits = context.RequestServices.GetRequiredService<IOptions<RequestLimitsOptions>>().Value;
        if (!context.Request.HasJsonContentType())
        {
            throw Problem(Problems.UnsupportedMediaType, $"Content-Type is '{context.Request.ContentType}'; send application/json.");
        }

        var raw = await RequestBody.ReadAsync(context, limits.MaxJsonBodyBytes);
        try
        {
            using var _ = JsonDocument.Parse(raw);
        }
        catch (JsonException ex)
        {
            throw Problem(Problems.MalformedJson, $"The body is not valid JSON: {ex.Message}");
        }

        var schema = context.RequestServices.GetRequiredService<MessageSchemas>().For(typeof(T));
        var errors = schema.Check(raw);
        if (errors.Count > 0)
        {
            var list = errors.Select(e => new FieldError(FieldOf(e.Path, e.Property), e.Kind.ToString())).OrderBy(e => e.Field, StringComparer.Ordinal).ToList();
            var detail = string.Join("; ", list.Select(e => $"{e.Field}: {e.Error}"));
            throw Problem(Problems.ValidationFailed, detail, new Dictionary<string, object?> { ["errors"] = list });
        }

        try
        {
            var value = JsonSerializer.Deserialize<T>(raw, HubJson.Options)
                ?? throw Problem(Problems.ValidationFailed, "The body is null.");
            return new JsonBody<T>(value, raw);
        }
        catch (JsonException ex)
        {
            var field = string.IsNullOrEmpty(ex.Path) ? "$" : ex.Path;
            throw Problem(Problems.ValidationFailed, $"{field}: {ex.Message}", new Dictionary<string, object?> { ["errors"] = new[] { new FieldError(field, ex.Message) } });
        }
    }

    private static ProblemException Problem(string type, string detail, IDictionary<string, object?>? extensions = null) =>
        new(Problems.Create(type, detail, extensions));

    // NJsonSchema paths look like "#/applicant.idNumber" or "#/documents[0].name"; a missing
    // property is reported on its parent with the property's name.
    private static string FieldOf(string? path, string? property)
    {
        var trimmed = (path ?? "#").TrimStart('#', '/');
        if (string.IsNullOrEmpty(trimmed))
        {
            return property ?? "$";
        }

        return property is not null && !trimmed.EndsWith(property, StringComparison.Ordinal) ? $"{trimmed}.{property}" : trimmed;
    }
}

/// <summary>One failing field of a request body.</summary>
/// <param name="Field">The field's path, e.g. <c>applicant.idNumber</c>.</param>
/// <param name="Error">What is wrong with it.</param>
internal sealed record FieldError(string Field, string Error);

/// <summary>Reads a request body up to a limit.</summary>
internal static class RequestBody
{
    /// <summary>The body as text; a body over the limit ends the request with 413.</summary>
    public static async Task<string> ReadAsync(HttpContext context, int limit)
    {
        if (context.Request.ContentLength > limit)
        {
            throw TooLarge(limit);
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                throw TooLarge(limit);
            }

            buffer.Write(chunk, 0, read);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static ProblemException TooLarge(int limit) => new(Problems.Create(
        Problems.PayloadTooLarge,
        $"The body is larger than {limit} bytes.",
        new Dictionary<string, object?> { ["limit"] = limit }));
}
