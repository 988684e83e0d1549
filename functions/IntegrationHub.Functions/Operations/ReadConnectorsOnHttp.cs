using IntegrationHub.Connectors;
using IntegrationHub.Functions.Security;

namespace IntegrationHub.Functions.Operations;

/// <summary>An operator reads each national and sector system's circuit: closed, open, half-open; calls in flight and waiting.</summary>
internal sealed class ReadConnectorsOnHttp(IConnectorCircuits circuits)
{
    public static void Map(IEndpointRouteBuilder routes) => routes
        .MapGet("/api/ops/connectors", (ReadConnectorsOnHttp function) => function.Run())
        .RequireAuthorization(HubRoles.Ops)
        .WithName(nameof(ReadConnectorsOnHttp))
        .Produces<ConnectorList>();

    public IResult Run() => TypedResults.Ok(new ConnectorList([.. circuits.Current.Select(ConnectorView.Of)]));
}
