namespace IntegrationHub.Functions.Operations;

/// <summary>
/// Anyone asks whether the hub can do its work: 200 when the store and the transport answer and not
/// every connected system's circuit is open, else 503 naming the part that is not ready. Nothing
/// sensitive is said: no addresses, settings or errors.
/// </summary>
internal sealed class CheckReadinessOnHttp(HubReadiness readiness)
{
    public static void Map(IEndpointRouteBuilder routes) => routes
        .MapGet("/health/ready", (CheckReadinessOnHttp function, CancellationToken cancellationToken) => function.RunAsync(cancellationToken))
        .AllowAnonymous()
        .WithName(nameof(CheckReadinessOnHttp))
        .Produces<Readiness>()
        .Produces<Readiness>(StatusCodes.Status503ServiceUnavailable);

    public async Task<IResult> RunAsync(CancellationToken cancellationToken)
    {
        var checks = await readiness.CheckAsync(cancellationToken);
        var ready = checks.All(c => c.Ready);
        return TypedResults.Json(
            new Readiness(ready ? "ready" : "not ready", checks.ToDictionary(c => c.Name, c => new ReadinessPart(c.Ready, c.Detail))),
            statusCode: ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }
}
