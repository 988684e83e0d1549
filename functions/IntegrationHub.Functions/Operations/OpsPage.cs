using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

namespace IntegrationHub.Functions.Operations;

/// <summary>
/// The operations page, served by the host from <c>wwwroot/ops</c> beside the program: its assets
/// under <c>/ops/assets/</c>, and the page itself for every other path under <c>/ops/</c>, so that
/// deep links (<c>/ops/dossiers/{code}</c>, <c>/ops/dead-letters/{queue}/{messageId}</c>) open it
/// where they point. The page holds a token, so it is never framed and runs only its own scripts.
/// </summary>
internal static class OpsPage
{
    private const string Policy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
    private static readonly FileExtensionContentTypeProvider Types = new();

    public static void Map(IEndpointRouteBuilder routes)
    {
        var root = new PhysicalFileProvider(Path.Combine(AppContext.BaseDirectory, "wwwroot", "ops"));
        routes.MapGet("/", () => TypedResults.Redirect("/ops/")).AllowAnonymous().ExcludeFromDescription();
        routes.MapGet("/ops/assets/{**file}", (string file, HttpContext context) => Serve(root, $"assets/{file}", context, cache: true)).AllowAnonymous().WithName("OpsPageAssets").ExcludeFromDescription();
        routes.MapGet("/ops/{**path}", (HttpContext context) => Serve(root, "index.html", context, cache: false)).AllowAnonymous().WithName("OpsPage").ExcludeFromDescription();
    }

    private static IResult Serve(PhysicalFileProvider root, string path, HttpContext context, bool cache)
    {
        // PhysicalFileProvider refuses paths that leave its root ("..", absolute paths).
        var file = root.GetFileInfo(path);
        if (!file.Exists || file.IsDirectory || file.PhysicalPath is null)
        {
            return TypedResults.NotFound();
        }

        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = Policy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = cache ? "no-cache" : "no-store";
        var type = Types.TryGetContentType(file.Name, out var known) ? known : "application/octet-stream";
        if (type.StartsWith("text/", StringComparison.Ordinal) || type.EndsWith("javascript", StringComparison.Ordinal))
        {
            type += "; charset=utf-8";
        }

        var etag = new EntityTagHeaderValue($"\"{file.LastModified.UtcTicks:x}-{file.Length:x}\"");
        return TypedResults.PhysicalFile(file.PhysicalPath, type, lastModified: file.LastModified, entityTag: etag);
    }
}
