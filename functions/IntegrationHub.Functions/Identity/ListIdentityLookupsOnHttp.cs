using IntegrationHub.Core.Identity;
using IntegrationHub.Functions.Http;
using IntegrationHub.Functions.Security;

namespace IntegrationHub.Functions.Identity;

/// <summary>An auditor lists identity lookups by citizen or by officer, newest first.</summary>
internal sealed class ListIdentityLookupsOnHttp(IdentityVerificationService identity, IIdentityAuditLog audit)
{
    public static void Map(IEndpointRouteBuilder routes) => routes
        .MapGet("/api/identity/lookups", (string? citizenId, string? officer, DateTimeOffset? from, DateTimeOffset? to, int? limit, ListIdentityLookupsOnHttp function, CancellationToken cancellationToken) =>
            function.RunAsync(citizenId, officer, from, to, limit, cancellationToken))
        .RequireAuthorization(HubRoles.Auditor)
        .WithName(nameof(ListIdentityLookupsOnHttp))
        .Produces<IdentityLookupPage>()
        .WithProblems(StatusCodes.Status400BadRequest);

    public async Task<IResult> RunAsync(string? citizenId, string? officer, DateTimeOffset? from, DateTimeOffset? to, int? limit, CancellationToken cancellationToken)
    {
        if (citizenId is null && officer is null)
        {
            return Problems.Result(Problems.ValidationFailed, "Give citizenId or officer (or both).", new Dictionary<string, object?> { ["errors"] = new[] { new FieldError("citizenId", "citizenId or officer is required") } });
        }

        var take = Math.Clamp(limit ?? 100, 1, 1000);
        var filter = new IdentityLookupFilter(citizenId is null ? null : identity.CitizenKeyOf(citizenId), officer, from, to, take);
        var lookups = await audit.ListAsync(filter, cancellationToken);
        return TypedResults.Ok(new IdentityLookupPage(lookups.Count, [.. lookups.Select(IdentityLookupView.Of)]));
    }
}
