using IntegrationHub.Functions.Security;

namespace IntegrationHub.Functions.Operations;

/// <summary>An operator reads every queue: messages waiting, in flight (locked), scheduled and dead-lettered, and their rates.</summary>
internal sealed class ListQueuesOnHttp(QueueMonitor monitor)
{
    public static void Map(IEndpointRouteBuilder routes) => routes
        .MapGet("/api/ops/queues", (ListQueuesOnHttp function, CancellationToken cancellationToken) => function.RunAsync(cancellationToken))
        .RequireAuthorization(HubRoles.Ops)
        .WithName(nameof(ListQueuesOnHttp))
        .Produces<QueueList>();

    public async Task<IResult> RunAsync(CancellationToken cancellationToken) =>
        TypedResults.Ok(new QueueList(await monitor.ReadAsync(cancellationToken)));
}
