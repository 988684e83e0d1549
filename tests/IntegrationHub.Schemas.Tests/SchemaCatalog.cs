using System.Text.Json.Nodes;
using IntegrationHub.Schemas;

namespace IntegrationHub.Schemas.Tests;

/// <summary>The published schema files beside the test assembly, each paired with its record by title.</summary>
internal static class SchemaCatalog
{
    public static string Folder { get; } = Path.Combine(AppContext.BaseDirectory, "schemas");

    public static IEnumerable<string> SchemaFiles() => Directory.EnumerateFiles(Folder, "*.schema.json").Order(StringComparer.Ordinal);

    public static string NameOf(string schemaFile) => Path.GetFileName(schemaFile)[..^".schema.json".Length];

    public static JsonObject Read(string file) => JsonNode.Parse(File.ReadAllText(file))!.AsObject();

    public static Type RecordFor(string schemaFile)
    {
        var title = (string?)Read(schemaFile)["title"] ?? throw new InvalidOperationException($"{schemaFile} has no title.");
        return typeof(HubJson).Assembly.GetType($"IntegrationHub.Schemas.{title}")
            ?? throw new InvalidOperationException($"{Path.GetFileName(schemaFile)} is titled '{title}', but IntegrationHub.Schemas has no such record.");
    }

    /// <summary>Examples are named after their schema: <c>name.json</c> or <c>name.variant.json</c>.</summary>
    public static IEnumerable<string> ExamplesOf(string schemaFile)
    {
        var name = NameOf(schemaFile);
        return Directory.EnumerateFiles(Path.Combine(Folder, "examples"), "*.json")
            .Where(f => Path.GetFileName(f) == $"{name}.json" || Path.GetFileName(f).StartsWith($"{name}.", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);
    }
}
