namespace IntegrationHub.Functions.Operations;

/// <summary>Anyone (a load balancer, an orchestrator) asks whether the process is up: always 200 while it answers.</summary>
internal static class CheckLivenessOnHttp
{
    public static void Map(IEndpointRouteBuilder routes) => routes
        .MapGet("/health/live", () => TypedResults.Ok(new Liveness("live")))
        .AllowAnonymous()
        .WithName(nameof(CheckLivenessOnHttp));
}
