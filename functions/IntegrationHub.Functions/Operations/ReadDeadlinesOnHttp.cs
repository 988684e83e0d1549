using IntegrationHub.Functions.Security;

namespace IntegrationHub.Functions.Operations;

/// <summary>An operator reads the deadlines board: overdue, due today, near due, paused for supplements.</summary>
internal sealed class ReadDeadlinesOnHttp(DeadlineBoard board)
{
    public static void Map(IEndpointRouteBuilder routes) => routes
        .MapGet("/api/ops/deadlines", (int? limit, ReadDeadlinesOnHttp function, CancellationToken cancellationToken) => function.RunAsync(limit, cancellationToken))
        .RequireAuthorization(HubRoles.Ops)
        .WithName(nameof(ReadDeadlinesOnHttp))
        .Produces<DeadlineBoardView>();

    public async Task<IResult> RunAsync(int? limit, CancellationToken cancellationToken) =>
        TypedResults.Ok(await board.ReadAsync(Math.Clamp(limit ?? 500, 1, 5000), cancellationToken));
}
