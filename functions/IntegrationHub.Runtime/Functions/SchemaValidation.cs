using NJsonSchema;
using NJsonSchema.Validation;

namespace IntegrationHub.Runtime.Functions;

/// <summary>
/// Validation against the published schemas with one shared validator: <see cref="JsonSchema.Validate(string, JsonSchemaValidatorSettings?)"/>
/// builds a validator and its format validators on every call, which a body checked on every request
/// or message should not pay for. The validator keeps no state between calls.
/// </summary>
public static class SchemaValidation
{
    private static readonly JsonSchemaValidator Validator = new(new JsonSchemaValidatorSettings());

    /// <summary>The ways <paramref name="json"/> fails <paramref name="schema"/>; empty when it satisfies it.</summary>
    /// <exception cref="Newtonsoft.Json.JsonReaderException">The text is not JSON.</exception>
    public static ICollection<ValidationError> Check(this JsonSchema schema, string json)
    {
        ArgumentNullException.ThrowIfNull(schema);
        return Validator.Validate(json, schema.ActualSchema);
    }
}
