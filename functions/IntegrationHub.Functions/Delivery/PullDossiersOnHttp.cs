using System.Security.Claims;
using IntegrationHub.Functions.Http;
using IntegrationHub.Functions.Security;

namespace IntegrationHub.Functions.Delivery;

/// <summary>
/// A department pulls dossiers routed to it (<c>GET /api/departments/{department}/dossiers?max=&amp;wait=</c>),
/// each held for it under a lock until acknowledged; with none waiting, the call waits up to
/// <c>wait</c> seconds (default 1, at most 20) for one. Another department's queue is not found.
/// </summary>
internal sealed class PullDossiersOnHttp(DepartmentInbox inbox)
{
    public static void Map(IEndpointRouteBuilder routes) => routes
        .MapGet("/api/departments/{department}/dossiers", (string department, int? max, int? wait, ClaimsPrincipal user, PullDossiersOnHttp function, CancellationToken cancellationToken) =>
            function.RunAsync(department, max ?? 10, TimeSpan.FromSeconds(Math.Clamp(wait ?? 1, 0, 20)), user, cancellationToken))
        .RequireAuthorization(HubRoles.Department)
        .WithName(nameof(PullDossiersOnHttp))
        .Produces<DepartmentDossiers>()
        .WithProblems(StatusCodes.Status404NotFound);

    public async Task<IResult> RunAsync(string department, int max, TimeSpan wait, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (!user.ActsFor(department) || inbox.QueueOf(department) is not { } queue)
        {
            return Problems.Result(Problems.NotFound, $"There is no department '{department}' you act for.");
        }

        var pulled = await inbox.PullAsync(queue, max, wait, cancellationToken);
        return TypedResults.Ok(new DepartmentDossiers(department, pulled));
    }
}
