using System.Net;
using System.Text.Json.Nodes;
using IntegrationHub.Testing;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using NJsonSchema;

namespace IntegrationHub.Functions.Tests;

/// <summary>The OpenAPI document a department developer integrates against (<c>/openapi/v1.json</c>).</summary>
public sealed class OpenApiDocumentTests(HostFixture host) : IClassFixture<HostFixture>
{
    [Fact]
    public async Task Document_HasEveryMappedEndpointWithItsMethod()
    {
        var paths = (await DocumentAsync())["paths"]!.AsObject();
        var endpoints = host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IExcludeFromDescriptionMetadata>() is not { ExcludeFromDescription: true })
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []).Select(m => (Path: "/" + e.RoutePattern.RawText!.TrimStart('/'), Method: m.ToLowerInvariant())))
            .ToList();

        Assert.True(endpoints.Count >= 20, $"only {endpoints.Count} endpoints found");
        var missing = endpoints.Where(e => paths[e.Path]?[e.Method] is null).Select(e => $"{e.Method} {e.Path}").ToList();
        Assert.True(missing.Count == 0, "not in the document: " + string.Join(", ", missing));
    }

    [Theory]
    [InlineData("/api/identity/verifications", "post", "officer", "IdentityVerificationRequest", "IdentityVerificationResult")]
    [InlineData("/api/departments/{department}/dossiers/{cityCode}/status", "post", "department:<code>", "DepartmentStatusReport", "StatusReportApplied")]
    [InlineData("/api/ops/replays", "post", "ops", "DeadLetterReplayRequest", "ReplayDryRun")]
    [InlineData("/api/ops/audit", "get", "ops or auditor", null, "AuditLogPage")]
    public async Task Operation_NamesItsRoleBodyAnswerAndProblems(string path, string method, string role, string? request, string answer)
    {
        var document = await DocumentAsync();
        var operation = document["paths"]![path]![method]!;

        Assert.Contains($"Role: {role}.", (string?)operation["description"], StringComparison.Ordinal);
        Assert.NotNull(operation["security"]![0]!["Bearer"]);
        Assert.Equal("bearer", (string?)document["components"]!["securitySchemes"]!["Bearer"]!["scheme"]);
        if (request is not null)
        {
            Assert.EndsWith($"/{request}", (string?)operation["requestBody"]!["content"]!["application/json"]!["schema"]!["$ref"], StringComparison.Ordinal);
            Assert.NotNull(operation["responses"]!["400"]!["content"]!["application/problem+json"]);
        }

        var answers = operation["responses"]!.AsObject().Where(r => r.Key.StartsWith('2')).Select(r => (string?)r.Value!["content"]?["application/json"]?["schema"]?["$ref"]).ToList();
        Assert.Contains(answers, a => a?.EndsWith($"/{answer}", StringComparison.Ordinal) == true);
        Assert.NotNull(operation["responses"]!["401"]!["content"]!["application/problem+json"]);
        Assert.NotNull(operation["responses"]!["403"]!["content"]!["application/problem+json"]);
    }

    [Fact]
    public async Task EveryPublishedExample_ValidatesAgainstItsRecordInTheDocument()
    {
        var document = await DocumentAsync();
        var components = document["components"]!["schemas"]!.AsObject();
        var examples = Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "schemas", "examples"), "*.json").Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(examples);

        foreach (var example in examples)
        {
            var record = string.Concat(Path.GetFileName(example).Split('.')[0].Split('-').Select(w => char.ToUpperInvariant(w[0]) + w[1..]));
            Assert.True(components.ContainsKey(record), $"{Path.GetFileName(example)}: the document has no schema {record}");

            // The record's schema at the root, the document's components beside it (as definitions) for its references.
            var root = components[record]!.DeepClone().AsObject();
            root["definitions"] = components.DeepClone();
            var schema = await JsonSchema.FromJsonAsync(root.ToJsonString().Replace("#/components/schemas/", "#/definitions/", StringComparison.Ordinal), TestContext.Current.CancellationToken);
            var errors = schema.Validate(await File.ReadAllTextAsync(example, TestContext.Current.CancellationToken));
            Assert.True(errors.Count == 0, $"{Path.GetFileName(example)} against {record}: {string.Join("; ", errors.Select(e => $"{e.Path}: {e.Kind}"))}");
        }
    }

    private async Task<JsonObject> DocumentAsync()
    {
        using var client = host.ClientWith(null);
        var response = await client.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }
}
