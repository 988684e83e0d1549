using System.Text.Json.Nodes;

namespace IntegrationHub.Schemas.Tests;

/// <summary>
/// Compares the shape of two JSON Schemas: at every object the property names and the required
/// names, at every property its JSON type and enum values, down through arrays and references.
/// Descriptions, patterns and formats are the file's own business and are not compared.
/// </summary>
internal static class SchemaShape
{
    public static IReadOnlyList<string> Differences(JsonObject expectedRoot, JsonObject actualRoot, string expectedName, string actualName)
    {
        var differences = new List<string>();
        Compare(expectedRoot, Resolve(expectedRoot, expectedRoot), actualRoot, Resolve(actualRoot, actualRoot), "$", differences, expectedName, actualName, depth: 0);
        return differences;
    }

    private static void Compare(JsonObject expectedRoot, JsonObject expected, JsonObject actualRoot, JsonObject actual, string path, List<string> differences, string e, string a, int depth)
    {
        if (depth > 20)
        {
            return;
        }

        var expectedTypes = Types(expected);
        var actualTypes = Types(actual);
        if (!expectedTypes.SetEquals(actualTypes))
        {
            differences.Add($"{path}: type is {string.Join("|", expectedTypes.Order())} in {e} but {string.Join("|", actualTypes.Order())} in {a}");
        }

        var expectedEnum = Enum(expected);
        var actualEnum = Enum(actual);
        if (!expectedEnum.SetEquals(actualEnum))
        {
            differences.Add($"{path}: enum is [{string.Join(", ", expectedEnum.Order())}] in {e} but [{string.Join(", ", actualEnum.Order())}] in {a}");
        }

        var expectedProperties = Properties(expected);
        var actualProperties = Properties(actual);
        foreach (var name in expectedProperties.Keys.Except(actualProperties.Keys))
        {
            differences.Add($"{path}.{name}: only in {e}");
        }

        foreach (var name in actualProperties.Keys.Except(expectedProperties.Keys))
        {
            differences.Add($"{path}.{name}: only in {a}");
        }

        var expectedRequired = Required(expected);
        var actualRequired = Required(actual);
        foreach (var name in expectedRequired.Except(actualRequired))
        {
            differences.Add($"{path}.{name}: required in {e} but not in {a}");
        }

        foreach (var name in actualRequired.Except(expectedRequired))
        {
            differences.Add($"{path}.{name}: required in {a} but not in {e}");
        }

        foreach (var name in expectedProperties.Keys.Intersect(actualProperties.Keys))
        {
            Compare(expectedRoot, Resolve(expectedRoot, expectedProperties[name]), actualRoot, Resolve(actualRoot, actualProperties[name]), $"{path}.{name}", differences, e, a, depth + 1);
        }

        if (expected["items"] is JsonObject expectedItems && actual["items"] is JsonObject actualItems)
        {
            Compare(expectedRoot, Resolve(expectedRoot, expectedItems), actualRoot, Resolve(actualRoot, actualItems), $"{path}[]", differences, e, a, depth + 1);
        }
    }

    private static JsonObject Resolve(JsonObject root, JsonObject node)
    {
        var seen = 0;
        while (node["$ref"] is JsonValue reference && seen++ < 10)
        {
            var pointer = ((string)reference!).TrimStart('#').Split('/', StringSplitOptions.RemoveEmptyEntries);
            JsonNode? target = root;
            foreach (var part in pointer)
            {
                target = target?[part.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)];
            }

            node = target as JsonObject ?? throw new InvalidOperationException($"Unresolvable reference {reference}.");
        }

        // A nullable reference is written by the exporter as anyOf [ {...}, { "type": "null" } ].
        if (node["anyOf"] is JsonArray anyOf)
        {
            var nonNull = anyOf.OfType<JsonObject>().Where(o => (string?)o["type"] != "null").ToList();
            if (nonNull.Count == 1)
            {
                return Resolve(root, nonNull[0]);
            }
        }

        return node;
    }

    private static HashSet<string> Types(JsonObject node) => Normalise(node["type"] switch
    {
        JsonValue single => [(string)single!],
        JsonArray many => many.Select(t => (string)t!).ToHashSet(),
        // The exporter writes an enum as its values alone; they are strings.
        _ when node["enum"] is JsonArray values => values.Where(v => v is not null).Select(v => v!.GetValueKind() == System.Text.Json.JsonValueKind.String ? "string" : "number").ToHashSet(),
        _ => [],
    });

    // The exporter writes integers and decimals as "number"/"integer" and may add "string" for
    // numbers read from strings; the file states the intended JSON type. Nulls are not compared.
    private static HashSet<string> Normalise(HashSet<string> types)
    {
        types.Remove("null");
        if (types.Contains("integer") || types.Contains("number"))
        {
            types.Remove("string");
            types.Remove("integer");
            types.Add("number");
        }

        return types;
    }

    private static HashSet<string> Enum(JsonObject node) =>
        node["enum"] is JsonArray values ? values.Where(v => v is not null).Select(v => v!.ToJsonString()).ToHashSet() : [];

    private static Dictionary<string, JsonObject> Properties(JsonObject node) =>
        node["properties"] is JsonObject properties
            ? properties.ToDictionary(p => p.Key, p => p.Value!.AsObject())
            : [];

    private static HashSet<string> Required(JsonObject node) =>
        node["required"] is JsonArray required ? required.Select(r => (string)r!).ToHashSet() : [];
}
