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
        .WithName(nameof(VerifyIdentityOnHttp))
        .Produces<IdentityVerificationResult>()
        .WithProblems(StatusCodes.Status502BadGateway, StatusCodes.Status503ServiceUnavailable);

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
