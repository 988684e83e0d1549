using System.Reflection;
using System.Text.Json;
using IntegrationHub.Runtime.Functions;
using IntegrationHub.Schemas;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Functions.Http;

/// <summary>
/// A request body read the strict way: JSON media type, within the size limit, a UTF-8 byte-order
/// mark allowed, no property named twice, valid against the record's published schema (errors name
/// each field), then read as the record. Anything else ends the request with a problem response
/// before the function runs.
/// </summary>
/// <typeparam name="T">A contract record of IntegrationHub.Schemas.</typeparam>
internal sealed class JsonBody<T> : IEndpointParameterMetadataProvider
    where T : class
{
    private JsonBody(T value) => Value = value;

    public T Value { get; }

    public static async ValueTask<JsonBody<T>?> BindAsync(HttpContext context, ParameterInfo parameter)
    {
        var limits = context.RequestServices.GetRequiredService<IOptions<RequestLimitsOptions>>().Value;
        if (!context.Request.HasJsonContentType())
        {
            throw Problem(Problems.UnsupportedMediaType, $"Content-Type is '{context.Request.ContentType}'; send application/json.");
        }

        // One parse for the schema check (which also finds text that is not JSON), one for the record
        // (which also finds a property named twice): the two checks a body needs, and no third.
        var body = await RequestBody.ReadJsonAsync(context, limits.MaxJsonBodyBytes);
        var schema = context.RequestServices.GetRequiredService<MessageSchemas>().For(typeof(T));
        IReadOnlyList<SchemaError> errors;
        try
        {
            errors = MessageSchemas.Check(schema, body.Span);
        }
        catch (Newtonsoft.Json.JsonException ex)
        {
            throw Problem(Problems.MalformedJson, $"The body is not valid JSON: {ex.Message}");
        }

        if (errors.Count > 0)
        {
            var list = errors.Select(e => new FieldError(e.Field, e.Error)).ToList();
            throw Problem(Problems.ValidationFailed, string.Join("; ", list.Select(e => $"{e.Field}: {e.Error}")), new Dictionary<string, object?> { ["errors"] = list });
        }

        try
        {
            var value = JsonSerializer.Deserialize<T>(body.Span, HubJson.Options)
                ?? throw Problem(Problems.ValidationFailed, "The body is null.");
            return new JsonBody<T>(value);
        }
        catch (JsonException ex) when (JsonText.FindDuplicate(body.Span) is { } field)
        {
            throw new ProblemException(JsonText.Duplicated(field, ex));
        }
        catch (JsonException ex)
        {
            var field = string.IsNullOrEmpty(ex.Path) ? "$" : ex.Path;
            throw Problem(Problems.ValidationFailed, $"{field}: {ex.Message}", new Dictionary<string, object?> { ["errors"] = new[] { new FieldError(field, ex.Message) } });
        }
    }

    /// <summary>Tells the OpenAPI document what the endpoint takes, and the problems a body can earn.</summary>
    public static void PopulateMetadata(ParameterInfo parameter, EndpointBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Metadata.Add(new AcceptsMetadata(["application/json"], typeof(T)));
        foreach (var status in new[] { StatusCodes.Status400BadRequest, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType })
        {
            builder.Metadata.Add(new ProducesResponseTypeMetadata(status, typeof(Microsoft.AspNetCore.Mvc.ProblemDetails), ["application/problem+json"]));
        }
    }

    private static ProblemException Problem(string type, string detail, IDictionary<string, object?>? extensions = null) =>
        new(Problems.Create(type, detail, extensions));
}

/// <summary>One failing field of a request body.</summary>
/// <param name="Field">The field's path, e.g. <c>applicant.idNumber</c>.</param>
/// <param name="Error">What is wrong with it.</param>
internal sealed record FieldError(string Field, string Error);
