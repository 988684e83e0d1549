using System.Security.Claims;
using IntegrationHub.Functions.Security;

namespace IntegrationHub.Functions.Identity;

/// <summary>Any caller reads who the hub takes them for: account, name, unit, roles.</summary>
internal static class DescribeCallerOnHttp
{
    public static void Map(IEndpointRouteBuilder routes) => routes
        .MapGet("/api/me", (ClaimsPrincipal user) => TypedResults.Ok(new CallerView(
            user.CallerId(),
            user.DisplayName(),
            user.Unit(),
            [.. user.FindAll(HubRoles.ClaimType).Select(c => c.Value)],
            user.DepartmentCodes())))
        .RequireAuthorization()
        .WithName(nameof(DescribeCallerOnHttp));
}
