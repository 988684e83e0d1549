using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using NJsonSchema;
using NJsonSchema.Validation.FormatValidators;

namespace IntegrationHub.Runtime.Functions;

/// <summary>
/// A published schema compiled into a check that reads the UTF-8 body once with
/// <see cref="Utf8JsonReader"/> and answers only "satisfies it" or "cannot tell", without building
/// Newtonsoft's tree. It is never more lenient than NJsonSchema: each keyword it reads it applies as
/// the library does or more strictly, and a schema part using a keyword it does not read (oneOf, not,
/// multipleOf, uniqueItems, tuples, pattern properties, property counts, an unknown extension) never
/// passes. So "satisfies it" is the library's answer too, and anything else goes to the library, which
/// finds the errors and names each field (<see cref="MessageSchemas.Check(JsonSchema, ReadOnlySpan{byte})"/>).
/// </summary>
internal sealed class SchemaRule
{
    private static readonly ConditionalWeakTable<JsonSchema, SchemaRule> Compiled = [];

    // Annotations NJsonSchema keeps as extension data and does not validate.
    private static readonly HashSet<string> Annotations = new(StringComparer.Ordinal) { "$id", "$schema", "examples", "$comment", "readOnly", "writeOnly", "deprecated" };

    private bool unsupported;
    private JsonObjectType type;
    private Regex? pattern;
    private int? minLength;
    private int? maxLength;
    private IFormatValidator[]? formats;
    private byte[][]? allowed;
    private decimal? minimum;
    private decimal? maximum;
    private bool minimumExclusive;
    private bool maximumExclusive;
    private (byte[] Name, SchemaRule Rule, bool Required)[] properties = [];
    private bool anyRequired;
    private bool allowAdditional = true;
    private SchemaRule? additional;
    private SchemaRule? item;
    private int minItems;
    private int maxItems;
    private SchemaRule[] anyOf = [];
    private SchemaRule[] allOf = [];

    /// <summary>The compiled check of <paramref name="schema"/> (its actual schema), made once per schema.</summary>
    public static SchemaRule For(JsonSchema schema) =>
        Compiled.GetValue(schema, s => Compile(s.ActualSchema, new Dictionary<JsonSchema, SchemaRule>()));

    /// <summary>
    /// Whether <paramref name="utf8"/> is one JSON value that satisfies the schema for certain; false
    /// when it does not, when the reader finds it is not strict JSON, or when the schema asks what this
    /// check does not read.
    /// </summary>
    public bool Satisfied(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        try
        {
            return reader.Read() && Accepts(ref reader) && !reader.Read();
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // Not strict JSON, or a string that is not UTF-16 once unescaped: the library reads it its own way.
            return false;
        }
    }

    private static SchemaRule Compile(JsonSchema schema, Dictionary<JsonSchema, SchemaRule> done)
    {
        schema = schema.ActualSchema;
        if (done.TryGetValue(schema, out var known))
        {
            return known;
        }

        var rule = new SchemaRule();
        done[schema] = rule;
        rule.unsupported = Unsupported(schema);
        rule.type = schema.Type;
        rule.pattern = string.IsNullOrEmpty(schema.Pattern) ? null : new Regex(schema.Pattern, RegexOptions.Compiled);
        rule.minLength = schema.MinLength;
        rule.maxLength = schema.MaxLength;
        rule.formats = !string.IsNullOrEmpty(schema.Format) && MessageSchemas.Formats.TryGetValue(schema.Format, out var named) ? named : null;
        rule.allowed = Allowed(schema, out var enumUnsupported);
        rule.unsupported |= enumUnsupported;
        (rule.minimum, rule.minimumExclusive) = schema.ExclusiveMinimum is { } exclusiveMinimum ? (Math.Max(exclusiveMinimum, schema.Minimum ?? exclusiveMinimum), true) : (schema.Minimum, schema.IsExclusiveMinimum);
        (rule.maximum, rule.maximumExclusive) = schema.ExclusiveMaximum is { } exclusiveMaximum ? (Math.Min(exclusiveMaximum, schema.Maximum ?? exclusiveMaximum), true) : (schema.Maximum, schema.IsExclusiveMaximum);
        rule.properties = [.. schema.Properties.Select(p => (Encoding.UTF8.GetBytes(p.Key), Compile(p.Value, done), schema.RequiredProperties.Contains(p.Key) || p.Value.IsRequired))];
        rule.anyRequired = rule.properties.Any(p => p.Required);
        rule.unsupported |= rule.properties.Length > 64 || schema.RequiredProperties.Any(r => !schema.Properties.ContainsKey(r));
        rule.allowAdditional = schema.AllowAdditionalProperties;
        rule.additional = schema.AdditionalPropertiesSchema is { } extra ? Compile(extra, done) : null;
        rule.item = schema.Item is { } each ? Compile(each, done) : null;
        (rule.minItems, rule.maxItems) = (schema.MinItems, schema.MaxItems);
        rule.anyOf = [.. schema.AnyOf.Select(s => Compile(s, done))];
        rule.allOf = [.. schema.AllOf.Select(s => Compile(s, done))];
        return rule;
    }

    private static bool Unsupported(JsonSchema schema) =>
        schema.OneOf.Count > 0 || schema.Not is not null || schema.MultipleOf is not null || schema.UniqueItems
        || schema.Items.Count > 0 || schema.AdditionalItemsSchema is not null || schema.PatternProperties.Count > 0
        || schema.MinProperties > 0 || schema.MaxProperties > 0
        || (schema.Type & ~(JsonObjectType.Array | JsonObjectType.Boolean | JsonObjectType.Integer | JsonObjectType.Null | JsonObjectType.Number | JsonObjectType.Object | JsonObjectType.String)) != 0
        || (schema.ExtensionData ?? new Dictionary<string, object?>()).Keys.Any(k => k != "const" && !Annotations.Contains(k));

    /// <summary>The enum's strings, or a const's, as UTF-8; a value other than a string or null makes the part unsupported.</summary>
    private static byte[][]? Allowed(JsonSchema schema, out bool unsupported)
    {
        var values = schema.Enumeration.ToList();
        if (schema.ExtensionData?.TryGetValue("const", out var constant) == true)
        {
            values = values.Count == 0 ? [constant] : [.. values.Where(v => Equals(v?.ToString(), constant?.ToString()))];
            if (values.Count == 0)
            {
                values = [null];
            }
        }

        // A null among them is for the null value, which a type with null lets through before the enum.
        unsupported = values.Any(v => v is not (string or null));
        return values.Count == 0 || unsupported ? null : [.. values.OfType<string>().Select(Encoding.UTF8.GetBytes)];
    }

    /// <summary>Reads the value the reader stands on, to its last token; false as soon as it cannot be sure the value satisfies this part.</summary>
    private bool Accepts(ref Utf8JsonReader reader)
    {
        if (unsupported)
        {
            return false;
        }

        if (anyOf.Length > 0 && !AnyAccepts(anyOf, reader))
        {
            return false;
        }

        foreach (var rule in allOf)
        {
            var copy = reader;
            if (!rule.Accepts(ref copy))
            {
                return false;
            }
        }

        return reader.TokenType switch
        {
            JsonTokenType.Null => type.HasFlag(JsonObjectType.Null) || (type == JsonObjectType.None && Scalar()),
            JsonTokenType.String => Allows(JsonObjectType.String) && StringAccepted(ref reader),
            JsonTokenType.Number => NumberAccepted(ref reader),
            JsonTokenType.True or JsonTokenType.False => Allows(JsonObjectType.Boolean) && Scalar(),
            JsonTokenType.StartObject => Allows(JsonObjectType.Object) && allowed is null && ObjectAccepted(ref reader),
            JsonTokenType.StartArray => Allows(JsonObjectType.Array) && Scalar() && ArrayAccepted(ref reader),
            _ => false,
        };
    }

    // Each alternative reads a copy of the reader, so the value is there again for the next and for the rest of the part.
    private static bool AnyAccepts(SchemaRule[] rules, Utf8JsonReader reader)
    {
        foreach (var rule in rules)
        {
            var copy = reader;
            if (rule.Accepts(ref copy))
            {
                return true;
            }
        }

        return false;
    }

    private bool Allows(JsonObjectType kind) => type == JsonObjectType.None || (type & kind) != 0;

    // What a value that is not an object must also satisfy: no enum it could be compared with, no required property.
    private bool Scalar() => allowed is null && !anyRequired;

    private bool StringAccepted(ref Utf8JsonReader reader)
    {
        if (anyRequired)
        {
            return false;
        }

        if (allowed is not null && !OneOf(allowed, ref reader))
        {
            return false;
        }

        if (pattern is null && minLength is null && maxLength is null && formats is null)
        {
            return true;
        }

        var value = reader.GetString()!;
        return (pattern is null || pattern.IsMatch(value))
            && (minLength is null || value.Length >= minLength)
            && (maxLength is null || value.Length <= maxLength)
            && (formats is null || formats.Any(f => f.IsValid(value, Newtonsoft.Json.Linq.JTokenType.String)));
    }

    private static bool OneOf(byte[][] values, ref Utf8JsonReader reader)
    {
        foreach (var value in values)
        {
            if (reader.ValueTextEquals(value))
            {
                return true;
            }
        }

        return false;
    }

    private bool NumberAccepted(ref Utf8JsonReader reader)
    {
        var raw = reader.ValueSpan;
        var integer = raw.IndexOfAny((byte)'.', (byte)'e', (byte)'E') < 0;
        if (!(type == JsonObjectType.None || type.HasFlag(JsonObjectType.Number) || (integer && type.HasFlag(JsonObjectType.Integer))) || !Scalar())
        {
            return false;
        }

        // A whole number beyond 64 bits the library cannot read as a number at all; bounds are compared
        // exactly on whole numbers only, and anything else is the library's to judge.
        var whole = 0L;
        if ((integer && !reader.TryGetInt64(out whole)) || (!integer && (minimum is not null || maximum is not null)))
        {
            return false;
        }

        return (minimum is not { } low || (minimumExclusive ? whole > low : whole >= low))
            && (maximum is not { } high || (maximumExclusive ? whole < high : whole <= high));
    }

    private bool ObjectAccepted(ref Utf8JsonReader reader)
    {
        var seen = 0UL;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var index = -1;
            for (var i = 0; i < properties.Length; i++)
            {
                if (reader.ValueTextEquals(properties[i].Name))
                {
                    index = i;
                    break;
                }
            }

            reader.Read();
            if (index >= 0)
            {
                seen |= 1UL << index;
                if (!properties[index].Rule.Accepts(ref reader))
                {
                    return false;
                }
            }
            else if (additional is not null)
            {
                if (!additional.Accepts(ref reader))
                {
                    return false;
                }
            }
            else if (!allowAdditional)
            {
                return false;
            }
            else
            {
                reader.Skip();
            }
        }

        for (var i = 0; i < properties.Length; i++)
        {
            if (properties[i].Required && (seen & (1UL << i)) == 0)
            {
                return false;
            }
        }

        return true;
    }

    private bool ArrayAccepted(ref Utf8JsonReader reader)
    {
        var count = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            count++;
            if (item is null)
            {
                reader.Skip();
            }
            else if (!item.Accepts(ref reader))
            {
                return false;
            }
        }

        return (minItems <= 0 || count >= minItems) && (maxItems <= 0 || count <= maxItems);
    }
}
