using System.Security.Claims;
using IntegrationHub.Core.Messaging;
using IntegrationHub.Core.Store;
using IntegrationHub.Functions.Http;
using IntegrationHub.Functions.Security;
using IntegrationHub.Schemas;

namespace IntegrationHub.Functions.Delivery;

/// <summary>
/// A department acknowledges a dossier it pulled
/// (<c>POST /api/departments/{department}/dossiers/{cityCode}/acknowledgement</c>): the dossier
/// leaves its queue and the timeline records that the department holds it.
/// </summary>
internal sealed class AcknowledgeDossierOnHttp(DepartmentInbox inbox, IDossierRegistry dossiers)
{
    public static void Map(IEndpointRouteBuilder routes) => routes
        .MapPost("/api/departments/{department}/dossiers/{cityCode}/acknowledgement", (string department, string cityCode, JsonBody<DossierAcknowledgement> body, ClaimsPrincipal user, AcknowledgeDossierOnHttp function, CancellationToken cancellationToken) =>
            function.RunAsync(department, cityCode, body.Value, user, cancellationToken))
        .RequireAuthorization(HubRoles.Department)
        .WithName(nameof(AcknowledgeDossierOnHttp))
        .Produces(StatusCodes.Status204NoContent)
        .WithProblems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);

    public async Task<IResult> RunAsync(string department, string cityCode, DossierAcknowledgement acknowledgement, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var dossier = user.ActsFor(department) ? await dossiers.ReadAsync(cityCode, cancellationToken) : null;
        if (dossier is null || dossier.DepartmentCode != department || inbox.QueueOf(department) is not { } queue)
        {
            return Problems.Result(Problems.NotFound, $"Department '{department}' holds no dossier '{cityCode}'.");
        }

        try
        {
            await inbox.AcknowledgeAsync(queue, department, dossier, acknowledgement.LockToken, user.DisplayName(), cancellationToken);
            return TypedResults.NoContent();
        }
        catch (MessageLockLostException ex)
        {
            return Problems.Result(Problems.LockLost, ex.Message);
        }
    }
}
