using System.Security.Claims;
using IntegrationHub.Functions.Http;
using IntegrationHub.Functions.Security;
using IntegrationHub.Schemas;

namespace IntegrationHub.Functions.Operations;

/// <summary>
/// An operator replays dead letters of a queue (by message id, or all that match a filter) as a
/// throttled, resumable job (202 with the job), or asks what would go where (<c>dryRun</c>, 200).
/// </summary>
internal sealed class StartReplayOnHttp(ReplayPlanner planner, ReplayJobControl replays)
{
    public static void Map(IEndpointRouteBuilder routes) => routes
        .MapPost("/api/ops/replays", (JsonBody<DeadLetterReplayRequest> body, ClaimsPrincipal user, StartReplayOnHttp function, CancellationToken cancellationToken) =>
            function.RunAsync(body.Value, Operator.Of(user), cancellationToken))
        .RequireAuthorization(HubRoles.Ops)
        .WithName(nameof(StartReplayOnHttp))
        .Produces<ReplayDryRun>()
        .Produces<ReplayJobView>(StatusCodes.Status202Accepted)
        .WithProblems(StatusCodes.Status404NotFound);

    public async Task<IResult> RunAsync(DeadLetterReplayRequest request, Operator by, CancellationToken cancellationToken)
    {
        ReplayPlan plan;
        try
        {
            plan = await planner.PlanAsync(request, cancellationToken);
        }
        catch (OperationsRequestException ex)
        {
            return ex.ToResult();
        }

        if (request.DryRun)
        {
            await replays.DryRunAsync(plan, by, request, cancellationToken);
            return TypedResults.Ok(new ReplayDryRun(
                DryRun: true,
                plan.Queue,
                plan.Letters.Count,
                [.. plan.Letters.Select(m => new ReplayDryRunItem(DeadLetterCatalog.Summarize(m), m.Queue, DeadLetterCatalog.SourceOf(m)))]));
        }

        var job = await replays.StartAsync(plan, by, request, cancellationToken);
        return TypedResults.Accepted($"/api/ops/replays/{job.Id}", ReplayJobView.Of(job));
    }
}
