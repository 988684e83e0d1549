using System.Globalization;
using System.Security.Claims;
using IntegrationHub.Core.Gateways;
using IntegrationHub.Functions.Http;
using IntegrationHub.Functions.Security;
using IntegrationHub.Schemas;

namespace IntegrationHub.Functions.Identity;

/// <summary>An officer checks a citizen ID, name and birth date against the population database, for a purpose.</summary>
internal sealed class VerifyIdentityOnHttp(IdentityVerificationService identity)
{
    public static void Map(IEndpointRouteBuilder routes) => routes
        .MapPost("/api/identity/verifications", (JsonBody<IdentityVerificationRequest> body, ClaimsPrincipal user, VerifyIdentityOnHttp function, HttpContext context, CancellationToken cancellationToken) =>
            function.RunAsync(body.Value, user, context, cancellationToken))
        .RequireAuthorization(HubRoles.Officer)
        .WithName(nameof(VerifyIdentityOnHttp));

    public async Task<IResult> RunAsync(IdentityVerificationRequest request, ClaimsPrincipal user, HttpContext context, CancellationToken cancellationToken)
    {
        try
        {
            var result = await identity.VerifyAsync(request, new Caller(user.CallerId(), user.Unit()), cancellationToken);
            return TypedResults.Ok(result);
        }
        catch (IdentityRequestException ex)
        {
            return Problems.Result(ex.ProblemType, ex.Message, new Dictionary<string, object?> { ["errors"] = new[] { new FieldError(ex.Field, ex.Message) }, ["allowed"] = ex.Allowed });
        }
        catch (GatewayException ex) when (ex.Failure == GatewayFailure.Unavailable)
        {
            context.Response.Headers.RetryAfter = "30";
            return Problems.Result(Problems.UpstreamUnavailable, ex.Message, new Dictionary<string, object?> { ["system"] = ex.System });
        }
        catch (GatewayException ex)
        {
            return Problems.Result(Problems.UpstreamRejected, ex.Message, new Dictionary<string, object?> { ["system"] = ex.System, ["errorCode"] = ex.ErrorCode ?? ex.Field });
        }
    }
}

/// <summary>An auditor lists identity lookups by citizen or by officer, newest first.</summary>
internal sealed class ListIdentityLookupsOnHttp(IdentityVerificationService identity, Core.Identity.IIdentityAuditLog audit)
{
    public static void Map(IEndpointRouteBuilder routes) => routes
        .MapGet("/api/identity/lookups", (string? citizenId, string? officer, DateTimeOffset? from, DateTimeOffset? to, int? limit, ListIdentityLookupsOnHttp function, CancellationToken cancellationToken) =>
            function.RunAsync(citizenId, officer, from, to, limit, cancellationToken))
        .RequireAuthorization(HubRoles.Auditor)
        .WithName(nameof(ListIdentityLookupsOnHttp));

    public async Task<IResult> RunAsync(string? citizenId, string? officer, DateTimeOffset? from, DateTimeOffset? to, int? limit, CancellationToken cancellationToken)
    {
        if (citizenId is null && officer is null)
        {
            return Problems.Result(Problems.ValidationFailed, "Give citizenId or officer (or both).", new Dictionary<string, object?> { ["errors"] = new[] { new FieldError("citizenId", "citizenId or officer is required") } });
        }

        var take = Math.Clamp(limit ?? 100, 1, 1000);
        var filter = new Core.Identity.IdentityLookupFilter(citizenId is null ? null : identity.CitizenKeyOf(citizenId), officer, from, to, take);
        var lookups = await audit.ListAsync(filter, cancellationToken);
        return TypedResults.Ok(new
        {
            count = lookups.Count.ToString(CultureInfo.InvariantCulture),
            lookups = lookups.Select(l => new { l.LookupId, l.At, l.Officer, l.Unit, l.Purpose, citizenId = l.MaskedCitizenId, l.Outcome, l.FromCache }),
        });
    }
}

/// <summary>Any caller reads who the hub takes them for: account, name, unit, roles.</summary>
internal sealed class DescribeCallerOnHttp
{
    public static void Map(IEndpointRouteBuilder routes) => routes
        .MapGet("/api/me", (ClaimsPrincipal user) => TypedResults.Ok(new
        {
            subject = user.CallerId(),
            name = user.DisplayName(),
            unit = user.Unit(),
            roles = user.FindAll(HubRoles.ClaimType).Select(c => c.Value).ToArray(),
            departments = user.DepartmentCodes(),
        }))
        .RequireAuthorization()
        .WithName(nameof(DescribeCallerOnHttp));
}
