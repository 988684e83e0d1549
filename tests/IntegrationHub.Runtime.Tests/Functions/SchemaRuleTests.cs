using System.Text;
using System.Text.Json.Nodes;
using IntegrationHub.Runtime.Functions;
using NJsonSchema;

namespace IntegrationHub.Runtime.Tests.Functions;

/// <summary>
/// The schemas' compiled checks against the library: a body they pass is one NJsonSchema passes, and
/// the catalogue's answer from the UTF-8 body is the library's, error for error, over the published
/// examples and thousands of bodies made from them by changing, removing and adding one field at a time.
/// </summary>
public sealed class SchemaRuleTests
{
    private static readonly JsonNode?[] Replacements =
    [
        null, 0, -1, 1.5, 100000000000000000000m, 1e3, "", "x", new string('x', 300), "0000", "2025-02-30", "1992-03-18",
        "2024-01-01T00:00:00Z", "2024-01-01T07:00:00+07:00", "not a date", "integrationhub-audit-checkpoints/1", "EC", "ES256",
        "match", "portal", true, false, new JsonArray(), new JsonObject(), new JsonArray(1, "x"), new JsonObject { ["a"] = 1 },
    ];

    [Fact]
    public async Task Satisfied_EveryPublishedExample_PassesWithoutTheLibrary()
    {
        var schemas = await CatalogueAsync();

        foreach (var (file, schema, text) in Examples(schemas))
        {
            Assert.True(SchemaRule.For(schema).Satisfied(Encoding.UTF8.GetBytes(text)), $"{file} is not passed by its compiled check");
            Assert.Empty(MessageSchemas.Check(schema, Encoding.UTF8.GetBytes(text)));
        }
    }

    [Fact]
    public async Task Check_ExamplesChangedOneFieldAtATime_AnswersAsTheLibraryDoes()
    {
        var schemas = await CatalogueAsync();
        var (bodies, refused, passed) = (0, 0, 0);

        foreach (var (file, schema, text) in Examples(schemas))
        {
            foreach (var body in Variants(JsonNode.Parse(text)!))
            {
                var library = MessageSchemas.Check(schema, body);
                var answer = MessageSchemas.Check(schema, Encoding.UTF8.GetBytes(body));
                Assert.True(library.SequenceEqual(answer), $"{file}, body {body}: the library says [{string.Join(", ", library)}], the catalogue [{string.Join(", ", answer)}]");
                if (SchemaRule.For(schema).Satisfied(Encoding.UTF8.GetBytes(body)))
                {
                    Assert.True(library.Count == 0, $"{file}, body {body}: passed by the compiled check, refused by the library: {string.Join(", ", library)}");
                    passed++;
                }

                bodies++;
                refused += library.Count > 0 ? 1 : 0;
            }
        }

        Assert.True(bodies > 5_000 && refused > bodies / 4 && passed > bodies / 20, $"{bodies} bodies, {refused} refused, {passed} passed by the compiled checks");
    }

    [Theory]
    [InlineData("\uFEFF{\"citizenId\":\"038092585262\",\"fullName\":\"A\",\"birthDate\":\"1992-03-18\",\"purpose\":\"p\"}", true)]
    [InlineData("{\"\\u0063itizenId\":\"038092585262\",\"fullName\":\"A\",\"birthDate\":\"1992-03-18\",\"purpose\":\"p\"}", true)]
    [InlineData("{\"citizenId\":\"038092585262\",\"fullName\":\"A\",\"birthDate\":\"1992-03-18\",\"purpose\":\"p\"} trailing", true)]
    [InlineData("{\"citizenId\":\"038092585262\",\"citizenId\":\"1\",\"fullName\":\"A\",\"birthDate\":\"1992-03-18\",\"purpose\":\"p\"}", false)]
    [InlineData("{\"citizenId\":\"1\",\"citizenId\":\"038092585262\",\"fullName\":\"A\",\"birthDate\":\"1992-03-18\",\"purpose\":\"p\"}", true)]
    [InlineData("{\"citizenId\":\"038092585262\",\"fullName\":\"A\",\"birthDate\":\"1992-03-18\",\"purpose\":\"p\" /* note */}", true)]
    [InlineData("{\"citizenId\":\"038092585262\",\"fullName\":\"\\ud800\",\"birthDate\":\"1992-03-18\",\"purpose\":\"p\"}", true)]
    public async Task Check_UnusualText_AnswersAsTheLibraryDoes(string text, bool libraryPasses)
    {
        var schema = (await CatalogueAsync()).Find("IdentityVerificationRequest")!;

        var library = MessageSchemas.Check(schema, text.TrimStart('\uFEFF'));
        var answer = MessageSchemas.Check(schema, Encoding.UTF8.GetBytes(text));

        Assert.Equal(libraryPasses, library.Count == 0);
        Assert.Equal(library, answer);
    }

    [Fact]
    public async Task Check_TextThatIsNotJson_FailsAsTheLibraryDoes()
    {
        var schema = (await CatalogueAsync()).Find("IdentityVerificationRequest")!;

        Assert.ThrowsAny<Newtonsoft.Json.JsonException>(() => MessageSchemas.Check(schema, "{\"citizenId\":"u8));
    }

    private static async Task<MessageSchemas> CatalogueAsync()
    {
        var schemas = new MessageSchemas(MessageSchemas.DefaultFolder);
        await schemas.LoadAsync(TestContext.Current.CancellationToken);
        return schemas;
    }

    private static IEnumerable<(string File, JsonSchema Schema, string Text)> Examples(MessageSchemas schemas)
    {
        foreach (var file in Directory.EnumerateFiles(Path.Combine(MessageSchemas.DefaultFolder, "examples"), "*.json").Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(file);
            var schemaFile = Path.Combine(MessageSchemas.DefaultFolder, name[..name.IndexOf('.', StringComparison.Ordinal)] + ".schema.json");
            var title = JsonNode.Parse(File.ReadAllText(schemaFile))!["title"]!.GetValue<string>();
            yield return (name, schemas.Find(title)!, File.ReadAllText(file));
        }
    }

    /// <summary>The example with one value replaced, one property removed, or one property added, for every place in it.</summary>
    private static IEnumerable<string> Variants(JsonNode root)
    {
        foreach (var path in Places(root, []))
        {
            foreach (var replacement in Replacements)
            {
                yield return Changed(root, path, node => node.ReplaceWith(replacement?.DeepClone()));
            }

            yield return Changed(root, path, node =>
            {
                if (node.Parent is JsonObject parent)
                {
                    parent.Remove(node.GetPropertyName());
                }
            });
        }

        foreach (var path in Places(root, []).Prepend([]))
        {
            yield return Changed(root, path, node =>
            {
                if (node is JsonObject target)
                {
                    target["unexpected"] = "x";
                }
            });
        }
    }

    private static string Changed(JsonNode root, IReadOnlyList<object> path, Action<JsonNode> change)
    {
        var copy = root.DeepClone();
        var node = path.Aggregate(copy, (n, step) => step is string name ? n[name]! : n[(int)step]!);
        change(node);
        return copy.ToJsonString();
    }

    private static IEnumerable<IReadOnlyList<object>> Places(JsonNode? node, IReadOnlyList<object> path)
    {
        var children = node switch
        {
            JsonObject o => o.Where(p => p.Value is not null).Select(p => ((object)p.Key, p.Value)).ToList(),
            JsonArray a => a.Select((v, i) => ((object)i, v)).Where(c => c.v is not null).ToList(),
            _ => [],
        };
        foreach (var (step, child) in children)
        {
            IReadOnlyList<object> here = [.. path, step];
            yield return here;
            foreach (var deeper in Places(child, here))
            {
                yield return deeper;
            }
        }
    }
}
