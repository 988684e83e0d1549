using IntegrationHub.Functions.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace IntegrationHub.Functions.Http;

/// <summary>
/// The OpenAPI document at <c>/openapi/v1.json</c> (Microsoft.AspNetCore.OpenApi) for the people who
/// integrate with the hub: every HTTP function with its request and response records, its problem
/// responses, the bearer scheme and the roles it needs, and every contract record of schemas/ as a
/// component. In Development a reference page (Scalar, its assets served by the hub, no CDN) is at <c>/scalar/v1</c>.
/// </summary>
internal static class OpenApiExtensions
{
    public const string DocumentPath = "/openapi/v1.json";
    private const string BearerScheme = "Bearer";

    public static IServiceCollection AddHubOpenApi(this IServiceCollection services) => services.AddOpenApi(options =>
    {
        options.AddDocumentTransformer((document, context, cancellationToken) => DescribeAsync(document, context, cancellationToken));
        options.AddOperationTransformer((operation, context, cancellationToken) => DescribeSecurityAsync(operation, context, cancellationToken));
    });

    public static WebApplication MapHubOpenApi(this WebApplication app)
    {
        app.MapOpenApi(DocumentPath).AllowAnonymous();
        if (app.Environment.IsDevelopment())
        {
            app.MapScalarApiReference(options => options.WithTitle("IntegrationHub API").AddDocument("v1", routePattern: DocumentPath)).AllowAnonymous();
        }

        return app;
    }

    private static async Task DescribeAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "IntegrationHub",
            Version = "v1",
            Description = "The HTTP functions of Hanoi's integration hub. Every call needs a JWT (Authorization: Bearer) whose `roles` claim holds the role an operation names; "
                + "every refusal is an RFC 9457 problem (application/problem+json) whose `type` is a page the hub serves under /problems/. "
                + "JSON is camelCase, enums are camelCase strings, unknown fields and fields named twice are refused.",
        };
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "A JWT signed (RS256 or ES256) by a key of the hub's key set, for its issuer and audience; roles in the `roles` claim.",
        };

        // The published contract: every record of IntegrationHub.Schemas that has a schema in schemas/,
        // messages included, so that a department developer finds each shape in one document.
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        foreach (var contract in ContractTypes())
        {
            document.Components.Schemas.TryAdd(contract.Name, await context.GetOrCreateSchemaAsync(contract, cancellationToken: cancellationToken));
        }
    }

    /// <summary>The contract records: public types of IntegrationHub.Schemas titled by a published schema.</summary>
    public static IEnumerable<Type> ContractTypes()
    {
        var published = Directory.Exists(Runtime.Functions.MessageSchemas.DefaultFolder)
            ? Directory.EnumerateFiles(Runtime.Functions.MessageSchemas.DefaultFolder, "*.schema.json").Select(f => Path.GetFileName(f)[..^".schema.json".Length]).ToHashSet(StringComparer.Ordinal)
            : [];
        return typeof(Schemas.HubJson).Assembly.GetExportedTypes()
            .Where(t => t.IsClass && !t.IsAbstract && published.Contains(KebabCase(t.Name)))
            .OrderBy(t => t.Name, StringComparer.Ordinal);
    }

    private static string KebabCase(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) ? (i > 0 ? "-" : "") + char.ToLowerInvariant(c) : c.ToString()));

    /// <summary>An operation that needs a token: the bearer scheme, 401 and 403 problems, and the roles it needs.</summary>
    private static async Task DescribeSecurityAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        if (metadata.OfType<IAllowAnonymous>().Any() || !metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<AuthorizationPolicy>().Any())
        {
            return;
        }

        var roles = metadata.OfType<IAuthorizeData>().Select(a => a.Policy).OfType<string>()
            .Select(policy => policy == HubRoles.Department ? $"{HubRoles.DepartmentPrefix}<code>" : policy)
            .Concat(metadata.OfType<AuthorizationPolicy>().SelectMany(p => p.Requirements.OfType<RolesAuthorizationRequirement>()).SelectMany(r => r.AllowedRoles))
            .ToList();
        var needs = roles.Count == 0 ? "Any caller with a valid token." : $"Role: {string.Join(" or ", roles)}.";
        operation.Description = string.IsNullOrEmpty(operation.Description) ? needs : $"{operation.Description} {needs}";
        operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [] }];
        operation.Responses ??= [];
        var problem = await context.GetOrCreateSchemaAsync(typeof(ProblemDetails), cancellationToken: cancellationToken);
        foreach (var (status, why) in new[] { ("401", "No token, or a token the hub refuses (token-expired, token-signature, token-algorithm, token-encrypted, …)."), ("403", "The token lacks the role (forbidden; requiredRole names it).") })
        {
            operation.Responses.TryAdd(status, new OpenApiResponse { Description = why, Content = new Dictionary<string, OpenApiMediaType> { ["application/problem+json"] = new() { Schema = problem } } });
        }
    }
}
