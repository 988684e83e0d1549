using System.Security.Claims;
using IntegrationHub.Core.Dossiers;
using IntegrationHub.Functions.Http;
using IntegrationHub.Functions.Security;
using IntegrationHub.Schemas;

namespace IntegrationHub.Functions.Status;

/// <summary>
/// A department reports progress on one of its dossiers
/// (<c>POST /api/departments/{department}/dossiers/{cityCode}/status</c>). A change the state
/// machine refuses is a 409 naming both states; another department's dossier is not found.
/// </summary>
internal sealed class ReceiveDepartmentStatusOnHttp(DepartmentStatusService status)
{
    public static void Map(IEndpointRouteBuilder routes) => routes
        .MapPost("/api/departments/{department}/dossiers/{cityCode}/status", (string department, string cityCode, JsonBody<DepartmentStatusReport> body, ClaimsPrincipal user, ReceiveDepartmentStatusOnHttp function, CancellationToken cancellationToken) =>
            function.RunAsync(department, cityCode, body.Value, user, cancellationToken))
        .RequireAuthorization(HubRoles.Department)
        .WithName(nameof(ReceiveDepartmentStatusOnHttp))
        .Produces<StatusReportApplied>(StatusCodes.Status202Accepted)
        .WithProblems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);

    public async Task<IResult> RunAsync(string department, string cityCode, DepartmentStatusReport report, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (!user.ActsFor(department))
        {
            return NotFound(department, cityCode);
        }

        try
        {
            var result = await status.ApplyAsync(department, cityCode, report, cancellationToken);
            return result.Outcome switch
            {
                ReportOutcome.NotFound => NotFound(department, cityCode),
                _ => TypedResults.Accepted($"/api/dossiers/{cityCode}/timeline", new StatusReportApplied(
                    cityCode,
                    result.Dossier!.Progress!.Status,
                    result.Dossier.Progress.DueAt,
                    result.Dossier.Progress.PausedAt is not null,
                    result.Outcome == ReportOutcome.AlreadyApplied)),
            };
        }
        catch (StatusTransitionException ex)
        {
            return Problems.Result(
                ex.IsSecondSupplementRequest ? Problems.SupplementAlreadyRequested : Problems.InvalidTransition,
                ex.Message,
                new Dictionary<string, object?> { ["from"] = ex.From, ["to"] = ex.To });
        }
    }

    private static IResult NotFound(string department, string cityCode) =>
        Problems.Result(Problems.NotFound, $"Department '{department}' holds no dossier '{cityCode}'.");
}
