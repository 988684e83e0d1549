using System.Security.Claims;
using IntegrationHub.Functions.Http;
using IntegrationHub.Functions.Security;
using IntegrationHub.Schemas;

namespace IntegrationHub.Functions.Operations;

/// <summary>An operator stops a replay job, saying why; what it has not replayed stays in the dead letters.</summary>
internal sealed class CancelReplayOnHttp(ReplayJobControl replays)
{
    public static void Map(IEndpointRouteBuilder routes) => routes
        .MapPost("/api/ops/replays/{id}/cancel", (string id, JsonBody<ReplayJobCancellation> body, ClaimsPrincipal user, CancelReplayOnHttp function, CancellationToken cancellationToken) =>
            function.RunAsync(id, body.Value, Operator.Of(user), cancellationToken))
        .RequireAuthorization(HubRoles.Ops)
        .WithName(nameof(CancelReplayOnHttp))
        .Produces<ReplayJobView>()
        .WithProblems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);

    public async Task<IResult> RunAsync(string id, ReplayJobCancellation cancellation, Operator by, CancellationToken cancellationToken)
    {
        try
        {
            return TypedResults.Ok(ReplayJobView.Of(await replays.CancelAsync(id, by, cancellation.Comment, cancellationToken)));
        }
        catch (OperationsRequestException ex)
        {
            return ex.ToResult();
        }
    }
}
