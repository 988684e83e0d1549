using System.Security.Claims;
using IntegrationHub.Core.Store;
using IntegrationHub.Functions.Http;
using IntegrationHub.Functions.Security;

namespace IntegrationHub.Functions.Status;

/// <summary>
/// A dossier's timeline by portal or city code (<c>GET /api/dossiers/{code}/timeline</c>): every step,
/// who, which unit, what, when. Operators, auditors and officers read any; a department only its own.
/// </summary>
internal sealed class ReadTimelineOnHttp(IDossierRegistry dossiers)
{
    public static void Map(IEndpointRouteBuilder routes) => routes
        .MapGet("/api/dossiers/{code}/timeline", (string code, ClaimsPrincipal user, ReadTimelineOnHttp function, CancellationToken cancellationToken) =>
            function.RunAsync(code, user, cancellationToken))
        .RequireAuthorization()
        .WithName(nameof(ReadTimelineOnHttp))
        .Produces<DossierTimeline>()
        .WithProblems(StatusCodes.Status404NotFound);

    public async Task<IResult> RunAsync(string code, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var dossier = await dossiers.ReadAsync(code, cancellationToken);
        var visible = dossier is not null
            && (user.IsInRole(HubRoles.Ops) || user.IsInRole(HubRoles.Auditor) || user.IsInRole(HubRoles.Officer)
                || (dossier.DepartmentCode is { } department && user.ActsFor(department)));
        if (!visible)
        {
            return Problems.Result(Problems.NotFound, $"No dossier '{code}' is visible to you.");
        }

        var steps = await dossiers.TimelineAsync(dossier!.PortalCode, cancellationToken);
        return TypedResults.Ok(DossierTimeline.Of(dossier, steps));
    }
}
