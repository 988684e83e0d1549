using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using IntegrationHub.Testing;

namespace IntegrationHub.Benchmarks;

/// <summary>
/// The two schema validators the hub could use, on its published schemas and the bodies of
/// <c>schemas/examples</c>, in one process: NJsonSchema 11 (over Newtonsoft.Json's tree, as the hub
/// checked bodies before) and JsonSchema.Net 8 (over System.Text.Json's <see cref="JsonElement"/>).
/// Each check starts from the UTF-8 body, as a request or message arrives. Both must find the same
/// bodies valid, and each must refuse a body with an unknown field.
/// </summary>
internal sealed class SchemaValidators(BenchmarkSettings settings) : Scenario(settings)
{
    public override string Name => "schema-validators";

    public override string Description => "schema checks/s of the published examples: NJsonSchema 11 (the hub's choice) vs JsonSchema.Net 8";

    public override async Task<IReadOnlyList<Figure>> RunAsync()
    {
        var cases = Directory.EnumerateFiles(RepoPaths.InRepo("schemas", "examples"), "*.json").Order(StringComparer.Ordinal).Select(Load).ToList();
        var built = cases.Select(c => c.SchemaText).Distinct(StringComparer.Ordinal).ToDictionary(t => t, t => Json.Schema.JsonSchema.FromText(t), StringComparer.Ordinal);
        var stj = cases.Select(c => (Schema: built[c.SchemaText], c.Body, c.Invalid)).ToList();
        var newtonsoft = await Task.WhenAll(cases.Select(async c => (Schema: await NJsonSchema.JsonSchema.FromJsonAsync(c.SchemaText), c.Body, c.Invalid)));
        var options = new Json.Schema.EvaluationOptions { OutputFormat = Json.Schema.OutputFormat.Flag, RequireFormatValidation = true };
        var validator = new NJsonSchema.Validation.JsonSchemaValidator();

        foreach (var (schema, body, invalid) in stj)
        {
            using var valid = JsonDocument.Parse(body);
            using var wrong = JsonDocument.Parse(invalid);
            if (!schema.Evaluate(valid.RootElement, options).IsValid || schema.Evaluate(wrong.RootElement, options).IsValid)
            {
                throw new InvalidOperationException("JsonSchema.Net disagrees with the published examples.");
            }
        }

        foreach (var (schema, body, invalid) in newtonsoft)
        {
            if (validator.Validate(Encoding.UTF8.GetString(body), schema).Count > 0 || validator.Validate(Encoding.UTF8.GetString(invalid), schema).Count == 0)
            {
                throw new InvalidOperationException("NJsonSchema disagrees with the published examples.");
            }
        }

        // JsonSchema.Net answers with a flag here, its fastest output; the hub would ask for the list
        // of errors only when a body fails.
        var load = BenchmarkSettings.LoadAverage();
        var (chosen, other) = await CompareInProcessAsync("checks", Settings.Messages,
            ("njsonschema", count => Task.FromResult(Run(count, i =>
            {
                var (schema, body, _) = newtonsoft[i % newtonsoft.Length];
                return validator.Validate(Encoding.UTF8.GetString(body), schema).Count == 0;
            }))),
            ("jsonschema.net", count => Task.FromResult(Run(count, i =>
            {
                var (schema, body, _) = stj[i % stj.Count];
                using var document = JsonDocument.Parse(body);
                return schema.Evaluate(document.RootElement, options).IsValid;
            }))));
        return [new Figure(Name, "NJsonSchema 11", "checks", chosen, other, $"JsonSchema.Net 8 (flag output) on the same {cases.Count} bodies", load)];
    }

    private static TimeSpan Run(int count, Func<int, bool> check)
    {
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            if (!check(i))
            {
                throw new InvalidOperationException("A published example failed its schema during the run.");
            }
        }

        return watch.Elapsed;
    }

    /// <summary>An example, its schema (by file name: <c>x.json</c> or <c>x.variant.json</c> belongs to <c>x.schema.json</c>), and the example with an unknown field.</summary>
    private static (string SchemaText, byte[] Body, byte[] Invalid) Load(string example)
    {
        var name = Path.GetFileName(example).Split('.')[0];
        var body = File.ReadAllBytes(example);
        var wrong = JsonNode.Parse(body)!.AsObject();
        wrong["notInTheContract"] = true;
        return (File.ReadAllText(RepoPaths.InRepo("schemas", $"{name}.schema.json")), body, Encoding.UTF8.GetBytes(wrong.ToJsonString()));
    }
}
