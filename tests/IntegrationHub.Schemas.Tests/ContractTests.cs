using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using IntegrationHub.Schemas;
using NJsonSchema;

namespace IntegrationHub.Schemas.Tests;

[Trait("Category", "Unit")]
public sealed class ContractTests
{
    public static TheoryData<string> Schemas() => new(SchemaCatalog.SchemaFiles().Select(SchemaCatalog.NameOf));

    public static TheoryData<string, string> Examples()
    {
        var data = new TheoryData<string, string>();
        foreach (var schema in SchemaCatalog.SchemaFiles())
        {
            foreach (var example in SchemaCatalog.ExamplesOf(schema))
            {
                data.Add(SchemaCatalog.NameOf(schema), Path.GetFileName(example));
            }
        }

        return data;
    }

    [Fact]
    public void Catalog_EveryMessageOfTheContract_HasASchemaAndAnExample()
    {
        string[] expected =
        [
            "submission-received", "dossier-routed", "department-status-report", "sync-portal-status",
            "identity-verification-request", "identity-verification-result", "dead-letter-replay-request",
        ];

        var files = SchemaCatalog.SchemaFiles().Select(SchemaCatalog.NameOf).ToList();

        Assert.All(expected, name => Assert.Contains(name, files));
        Assert.All(files, name => Assert.NotEmpty(SchemaCatalog.ExamplesOf(File(name))));
    }

    [Theory]
    [MemberData(nameof(Schemas))]
    public void RecordAndSchemaFile_HaveTheSameShape(string name)
    {
        var file = SchemaCatalog.Read(File(name));
        var generated = Generate(SchemaCatalog.RecordFor(File(name)));

        var differences = SchemaShape.Differences(file, generated, $"{name}.schema.json", "the C# record");

        Assert.True(differences.Count == 0, string.Join(Environment.NewLine, differences));
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task Example_IsValidAndRoundTripsThroughItsRecord(string name, string example)
    {
        var schema = await JsonSchema.FromFileAsync(File(name), TestContext.Current.CancellationToken);
        var json = await System.IO.File.ReadAllTextAsync(Path.Combine(SchemaCatalog.Folder, "examples", example), TestContext.Current.CancellationToken);
        var type = SchemaCatalog.RecordFor(File(name));

        var errors = schema.Validate(json);
        var record = JsonSerializer.Deserialize(json, type, HubJson.Options);
        var written = JsonSerializer.Serialize(record, type, HubJson.Options);

        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors.Select(e => $"{e.Path}: {e.Kind}")));
        Assert.Empty(schema.Validate(written));
        Assert.True(JsonNode.DeepEquals(Normalise(JsonNode.Parse(json)), Normalise(JsonNode.Parse(written))), $"{example} changed on its way through {type.Name}:{Environment.NewLine}{written}");
    }

    [Fact]
    public void SchemaShape_FieldAddedToTheFileOnly_IsReported()
    {
        var file = SchemaCatalog.Read(File("department-status-report"));
        file["properties"]!.AsObject().Add("priority", new JsonObject { ["type"] = "string" });

        var differences = SchemaShape.Differences(file, Generate(typeof(DepartmentStatusReport)), "file", "record");

        Assert.Contains("$.priority: only in file", differences);
    }

    [Fact]
    public void SchemaShape_FieldAddedToTheRecordOnly_IsReported()
    {
        var file = SchemaCatalog.Read(File("department-status-report"));
        file["properties"]!.AsObject().Remove("reason");
        file["properties"]!["officer"]!.AsObject().Remove("$ref");
        file["properties"]!["officer"]!.AsObject().Add("type", "object");

        var differences = SchemaShape.Differences(file, Generate(typeof(DepartmentStatusReport)), "file", "record");

        Assert.Contains("$.reason: only in record", differences);
        Assert.Contains("$.officer.name: only in record", differences);
    }

    [Fact]
    public async Task UnknownField_IsRefusedByBothTheSchemaAndTheRecord()
    {
        var schema = await JsonSchema.FromFileAsync(File("identity-verification-request"), TestContext.Current.CancellationToken);
        const string json = """{ "citizenId": "001090012345", "fullName": "Trần Văn An", "birthDate": "1990-01-01", "purpose": "1.010819", "ethnicity": "Kinh" }""";

        Assert.NotEmpty(schema.Validate(json));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<IdentityVerificationRequest>(json, HubJson.Options));
    }

    [Fact]
    public void MissingRequiredField_IsRefusedByTheRecordNamingIt()
    {
        const string json = """{ "reportId": "r1", "status": "inProcessing", "unit": "Phòng A", "action": "Xử lý" }""";

        var error = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<DepartmentStatusReport>(json, HubJson.Options));

        Assert.Contains("officer", error.Message, StringComparison.Ordinal);
    }

    private static string File(string name) => Path.Combine(SchemaCatalog.Folder, $"{name}.schema.json");

    private static JsonObject Generate(Type type) =>
        HubJson.Options.GetJsonSchemaAsNode(type, new JsonSchemaExporterOptions { TreatNullObliviousAsNonNullable = true }).AsObject();

    // Empty lists are written by the records (their default), and may be left out by an example.
    private static JsonNode? Normalise(JsonNode? node)
    {
        if (node is JsonObject obj)
        {
            foreach (var key in obj.Where(p => p.Value is JsonArray { Count: 0 }).Select(p => p.Key).ToList())
            {
                obj.Remove(key);
            }

            foreach (var property in obj)
            {
                Normalise(property.Value);
            }
        }
        else if (node is JsonArray array)
        {
            foreach (var item in array)
            {
                Normalise(item);
            }
        }

        return node;
    }
}
