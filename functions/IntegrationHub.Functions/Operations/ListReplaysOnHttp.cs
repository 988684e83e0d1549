using IntegrationHub.Core.Operations;
using IntegrationHub.Functions.Security;

namespace IntegrationHub.Functions.Operations;

/// <summary>An operator lists the latest replay jobs with their progress, newest first.</summary>
internal sealed class ListReplaysOnHttp(IReplayJobs jobs)
{
    public static void Map(IEndpointRouteBuilder routes) => routes
        .MapGet("/api/ops/replays", (int? limit, ListReplaysOnHttp function, CancellationToken cancellationToken) => function.RunAsync(limit, cancellationToken))
        .RequireAuthorization(HubRoles.Ops)
        .WithName(nameof(ListReplaysOnHttp))
        .Produces<ReplayJobList>();

    public async Task<IResult> RunAsync(int? limit, CancellationToken cancellationToken) =>
        TypedResults.Ok(new ReplayJobList([.. (await jobs.ListAsync(Math.Clamp(limit ?? 20, 1, 200), cancellationToken)).Select(ReplayJobView.Of)]));
}
