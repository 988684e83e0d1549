using IntegrationHub.Core.Operations;
using IntegrationHub.Functions.Http;
using IntegrationHub.Functions.Security;

namespace IntegrationHub.Functions.Operations;

/// <summary>An operator follows a replay job: its progress, and what became of each dead letter (from a position on).</summary>
internal sealed class ReadReplayOnHttp(IReplayJobs jobs)
{
    public static void Map(IEndpointRouteBuilder routes) => routes
        .MapGet("/api/ops/replays/{id}", (string id, int? from, int? limit, ReadReplayOnHttp function, CancellationToken cancellationToken) =>
            function.RunAsync(id, from ?? 0, limit, cancellationToken))
        .RequireAuthorization(HubRoles.Ops)
        .WithName(nameof(ReadReplayOnHttp))
        .Produces<ReplayJobDetail>()
        .WithProblems(StatusCodes.Status404NotFound);

    public async Task<IResult> RunAsync(string id, int from, int? limit, CancellationToken cancellationToken)
    {
        var job = await jobs.GetAsync(id, cancellationToken);
        if (job is null)
        {
            return Problems.Result(Problems.NotFound, $"There is no replay job '{id}'.");
        }

        var items = await jobs.ItemsAsync(id, Math.Max(0, from), Math.Clamp(limit ?? 200, 1, 1000), pendingOnly: false, cancellationToken);
        return TypedResults.Ok(new ReplayJobDetail(ReplayJobView.Of(job), [.. items.Select(ReplayItemView.Of)]));
    }
}
