using System.Collections.Frozen;
using NJsonSchema;

namespace IntegrationHub.Functions.Http;

/// <summary>The published JSON Schemas (<c>schemas/*.schema.json</c>), keyed by their title (the record's name).</summary>
internal sealed class MessageSchemas
{
    private readonly FrozenDictionary<string, JsonSchema> byTitle;

    private MessageSchemas(FrozenDictionary<string, JsonSchema> byTitle) => this.byTitle = byTitle;

    /// <summary>Loads every schema beside the program.</summary>
    /// <exception cref="InvalidOperationException">The schemas folder is missing.</exception>
    public static MessageSchemas Load(string folder)
    {
        if (!Directory.Exists(folder))
        {
            throw new InvalidOperationException($"The message schemas folder '{folder}' does not exist; the build copies schemas/*.schema.json there.");
        }

        var schemas = new Dictionary<string, JsonSchema>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(folder, "*.schema.json"))
        {
            var schema = JsonSchema.FromFileAsync(file).GetAwaiter().GetResult();
            schemas[schema.Title ?? Path.GetFileName(file)] = schema;
        }

        return new MessageSchemas(schemas.ToFrozenDictionary(StringComparer.Ordinal));
    }

    /// <summary>The schema titled <paramref name="title"/> (a contract's name, as messages carry it in their subject), if one is published.</summary>
    public JsonSchema? Find(string? title) => title is not null && byTitle.TryGetValue(title, out var schema) ? schema : null;

    /// <summary>The schema of a record type.</summary>
    /// <exception cref="InvalidOperationException">No schema is titled with the type's name.</exception>
    public JsonSchema For(Type type) =>
        byTitle.TryGetValue(type.Name, out var schema)
            ? schema
            : throw new InvalidOperationException($"No published schema is titled '{type.Name}'.");
}
