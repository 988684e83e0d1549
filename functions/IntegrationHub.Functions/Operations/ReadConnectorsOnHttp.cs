using IntegrationHub.Connectors;
using IntegrationHub.Functions.Security;

namespace IntegrationHub.Functions.Operations;

/// <summary>An operator reads each national and sector system's circuit: closed, open, half-open; calls in flight and waiting.</summary>
internal sealed class ReadConnectorsOnHttp(IConnectorCircuits circuits)
{
    public static void Map(IEndpointRouteBuilder routes) => routes
        .MapGet("/api/ops/connectors", (ReadConnectorsOnHttp function) => function.Run())
        .RequireAuthorization(HubRoles.Ops)
        .WithName(nameof(ReadConnectorsOnHttp));

    public IResult Run() => TypedResults.Ok(new
    {
        connectors = circuits.Current.Select(c => new { c.System, state = c.State, since = c.Since is { } at ? Core.VietnamTime.ToLocal(at) : (DateTimeOffset?)null, c.LastFailure, c.InFlight, c.Queued }),
    });
}
