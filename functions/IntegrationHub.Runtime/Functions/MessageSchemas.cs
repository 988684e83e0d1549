using System.Collections.Frozen;
using System.Text;
using System.Text.Json;
using IntegrationHub.Schemas;
using NJsonSchema;
using NJsonSchema.Validation;
using NJsonSchema.Validation.FormatValidators;

namespace IntegrationHub.Runtime.Functions;

/// <summary>
/// The one catalogue of the published JSON Schemas (<c>schemas/*.schema.json</c> beside the program),
/// keyed by their <c>title</c> (the contract record's name), for HTTP bodies and queue messages alike.
/// It is loaded when the host starts (<see cref="MessageSchemasLoader"/>): a missing folder, or a schema
/// that cannot be read, has no title or repeats one, stops the host naming the file.
/// </summary>
/// <remarks>
/// NJsonSchema was chosen over JsonSchema.Net by the benchmark harness's <c>schema-validators</c>
/// scenario (README, "Schema validation"). One validator is shared: it keeps no state between calls.
/// </remarks>
public sealed class MessageSchemas
{
    private static readonly JsonSchemaValidatorSettings ValidatorSettings = Settings();
    private static readonly JsonSchemaValidator Validator = new(ValidatorSettings);
    internal static readonly FrozenDictionary<string, IFormatValidator[]> Formats =
        ValidatorSettings.FormatValidators.GroupBy(v => v.Format).ToFrozenDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
    private FrozenDictionary<string, JsonSchema>? byTitle;

    /// <summary>A catalogue of the schemas in <paramref name="folder"/>, read by <see cref="LoadAsync"/>.</summary>
    public MessageSchemas(string folder) => Folder = folder;

    /// <summary>The folder the schemas are read from.</summary>
    public string Folder { get; }

    /// <summary>Where the build puts the published schemas: <c>schemas/</c> beside the program.</summary>
    public static string DefaultFolder => Path.Combine(AppContext.BaseDirectory, "schemas");

    private FrozenDictionary<string, JsonSchema> Loaded =>
        Volatile.Read(ref byTitle) ?? throw new InvalidOperationException("The message schemas are read when the host starts; it has not started.");

    /// <summary>Reads every schema of the folder.</summary>
    /// <exception cref="InvalidOperationException">The folder is missing, or a schema cannot be read, has no title, or repeats one.</exception>
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        if (!Directory.Exists(Folder))
        {
            throw new InvalidOperationException($"The message schemas folder '{Folder}' does not exist; the build copies schemas/*.schema.json there, and no body can be checked without it.");
        }

        var schemas = new Dictionary<string, JsonSchema>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(Folder, "*.schema.json").Order(StringComparer.Ordinal))
        {
            JsonSchema schema;
            try
            {
                schema = await JsonSchema.FromJsonAsync(await File.ReadAllTextAsync(file, cancellationToken), cancellationToken);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or Newtonsoft.Json.JsonException or InvalidOperationException)
            {
                throw new InvalidOperationException($"The message schema '{file}' cannot be read: {ex.Message}", ex);
            }

            if (string.IsNullOrWhiteSpace(schema.Title))
            {
                throw new InvalidOperationException($"The message schema '{file}' has no title; its title must be the name of the contract record it describes.");
            }

            if (!schemas.TryAdd(schema.Title, schema))
            {
                throw new InvalidOperationException($"The message schema '{file}' repeats the title '{schema.Title}' of another schema.");
            }
        }

        if (schemas.Count == 0)
        {
            throw new InvalidOperationException($"The message schemas folder '{Folder}' holds no *.schema.json file.");
        }

        Volatile.Write(ref byTitle, schemas.ToFrozenDictionary(StringComparer.Ordinal));
    }

    /// <summary>The schema titled <paramref name="title"/> (a contract's name, as messages carry it in their subject), if one is published.</summary>
    public JsonSchema? Find(string? title) => title is not null && Loaded.TryGetValue(title, out var schema) ? schema : null;

    /// <summary>The schema of a record type.</summary>
    /// <exception cref="InvalidOperationException">No schema is titled with the type's name.</exception>
    public JsonSchema For(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return Loaded.TryGetValue(type.Name, out var schema) ? schema : throw new InvalidOperationException($"No published schema is titled '{type.Name}'.");
    }

    /// <summary>
    /// The ways the UTF-8 body <paramref name="utf8"/> (a byte-order mark allowed) fails <paramref name="schema"/>,
    /// each naming its field; empty when it satisfies it. The schema's compiled check (<see cref="SchemaRule"/>)
    /// reads the body first; only a body it cannot pass is read into Newtonsoft's tree and checked by the
    /// library, which gives the errors.
    /// </summary>
    /// <exception cref="Newtonsoft.Json.JsonReaderException">The text is not JSON.</exception>
    public static IReadOnlyList<SchemaError> Check(JsonSchema schema, ReadOnlySpan<byte> utf8)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var body = HubJson.WithoutByteOrderMark(utf8);
        return SchemaRule.For(schema).Satisfied(body) ? [] : Check(schema, Encoding.UTF8.GetString(body));
    }

    /// <summary>The ways <paramref name="json"/> fails <paramref name="schema"/>, each naming its field; empty when it satisfies it.</summary>
    /// <exception cref="Newtonsoft.Json.JsonReaderException">The text is not JSON.</exception>
    public static IReadOnlyList<SchemaError> Check(JsonSchema schema, string json)
    {
        ArgumentNullException.ThrowIfNull(schema);
        using var reader = new Newtonsoft.Json.JsonTextReader(new StringReader(json)) { DateParseHandling = Newtonsoft.Json.DateParseHandling.None };
        var token = Newtonsoft.Json.Linq.JToken.ReadFrom(reader);
        ICollection<ValidationError> errors;
        try
        {
            errors = Validator.Validate(token, schema.ActualSchema);
        }
        catch (InvalidCastException) when (WholeNumberBeyond64Bits(token) is { } number)
        {
            // The library cannot compare such a number with a bound; no field of the hub's contracts holds one.
            return [new SchemaError(FieldOf(number.Path, null), "NumberOutOfRange")];
        }

        return errors.Count == 0 ? [] : [.. errors.Select(e => new SchemaError(FieldOf(e.Path, e.Property), e.Kind.ToString())).OrderBy(e => e.Field, StringComparer.Ordinal)];
    }

    private static Newtonsoft.Json.Linq.JValue? WholeNumberBeyond64Bits(Newtonsoft.Json.Linq.JToken token) =>
        (token is Newtonsoft.Json.Linq.JContainer container ? container.DescendantsAndSelf() : [token])
            .OfType<Newtonsoft.Json.Linq.JValue>().FirstOrDefault(v => v.Value is System.Numerics.BigInteger);

    /// <summary>The library's format checks, but <c>date</c> read invariantly (its own reads with the current culture, and costs most of a check).</summary>
    private static JsonSchemaValidatorSettings Settings()
    {
        var settings = new JsonSchemaValidatorSettings();
        settings.FormatValidators = [.. settings.FormatValidators.Where(v => v.Format != JsonFormatStrings.Date), new DateFormat()];
        return settings;
    }

    /// <summary>
    /// NJsonSchema's paths look like <c>#/applicant.idNumber</c> or <c>#/documents[0].name</c>; a missing
    /// property is reported on its parent with the property's name, and named here as the field.
    /// </summary>
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

/// <summary>The <c>date</c> format (RFC 3339 full-date, <c>yyyy-MM-dd</c>), checked with the invariant culture.</summary>
internal sealed class DateFormat : NJsonSchema.Validation.FormatValidators.IFormatValidator
{
    public string Format => JsonFormatStrings.Date;

    public ValidationErrorKind ValidationErrorKind => ValidationErrorKind.DateExpected;

    public bool IsValid(string value, Newtonsoft.Json.Linq.JTokenType tokenType) =>
        tokenType == Newtonsoft.Json.Linq.JTokenType.Date || IsFullDate(value);

    /// <summary>
    /// <c>yyyy-MM-dd</c> naming a day of the calendar, read digit by digit: the culture-bound parser it
    /// replaces was the most expensive part of checking a body.
    /// </summary>
    internal static bool IsFullDate(string? value)
    {
        if (value is not { Length: 10 } || value[4] != '-' || value[7] != '-')
        {
            return false;
        }

        int Number(int from, int length)
        {
            var number = 0;
            for (var i = from; i < from + length; i++)
            {
                if (!char.IsAsciiDigit(value[i]))
                {
                    return -1;
                }

                number = (number * 10) + (value[i] - '0');
            }

            return number;
        }

        var (year, month, day) = (Number(0, 4), Number(5, 2), Number(8, 2));
        return year >= 1 && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month);
    }
}

/// <summary>One way a body fails its schema.</summary>
/// <param name="Field">The field's path, e.g. <c>applicant.idNumber</c> (<c>$</c> for the whole body).</param>
/// <param name="Error">What is wrong with it, e.g. <c>PatternMismatch</c>, <c>PropertyRequired</c>, <c>NoAdditionalPropertiesAllowed</c>.</param>
public readonly record struct SchemaError(string Field, string Error);

/// <summary>Reads the schema catalogue when the host starts, before any function or request uses it.</summary>
internal sealed class MessageSchemasLoader(MessageSchemas schemas) : Microsoft.Extensions.Hosting.IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => schemas.LoadAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
