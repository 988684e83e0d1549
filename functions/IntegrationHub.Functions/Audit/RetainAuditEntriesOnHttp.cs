using System.Security.Claims;
using IntegrationHub.Functions.Http;
using IntegrationHub.Functions.Operations;
using IntegrationHub.Functions.Security;
using IntegrationHub.Schemas;

namespace IntegrationHub.Functions.Audit;

/// <summary>
/// An operator applies retention: every entry a checkpoint old enough covers is deleted, the
/// checkpoint kept, the deletion signed for and recorded with who asked and why.
/// </summary>
internal sealed class RetainAuditEntriesOnHttp(AuditRetentionService retention)
{
    public static void Map(IEndpointRouteBuilder routes) => routes
        .MapPost("/api/audit/retentions", (JsonBody<AuditRetentionRequest> body, ClaimsPrincipal user, RetainAuditEntriesOnHttp function, CancellationToken cancellationToken) =>
            function.RunAsync(body.Value, Operator.Of(user), cancellationToken))
        .RequireAuthorization(HubRoles.Ops)
        .WithName(nameof(RetainAuditEntriesOnHttp))
        .Produces<AuditRetentionResult>()
        .WithProblems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);

    public async Task<IResult> RunAsync(AuditRetentionRequest request, Operator by, CancellationToken cancellationToken)
    {
        try
        {
            return TypedResults.Ok(await retention.RetainAsync(request, by, cancellationToken));
        }
        catch (AuditRetentionRefusedException ex)
        {
            return Problems.Result(ex.NotFound ? Problems.NotFound : Problems.RetentionRefused, ex.Message);
        }
    }
}
