using IntegrationHub.Connectors;
using IntegrationHub.Functions.Security;

namespace IntegrationHub.Functions.Operations;

/// <summary>An operator's first look: the queues, what failed and how, deadline risk, and the circuits of the connected systems.</summary>
internal sealed class ReadOverviewOnHttp(QueueMonitor monitor, DeadLetterCatalog catalog, DeadlineBoard board, IConnectorCircuits circuits, TimeProvider time)
{
    public static void Map(IEndpointRouteBuilder routes) => routes
        .MapGet("/api/ops/overview", (ReadOverviewOnHttp function, CancellationToken cancellationToken) => function.RunAsync(cancellationToken))
        .RequireAuthorization(HubRoles.Ops)
        .WithName(nameof(ReadOverviewOnHttp))
        .Produces<OperationsOverview>();

    public async Task<IResult> RunAsync(CancellationToken cancellationToken)
    {
        var queues = await monitor.ReadAsync(cancellationToken);
        var letters = (await catalog.FindAsync(default, cancellationToken)).Select(DeadLetterCatalog.Summarize).ToList();
        var deadlines = await board.ReadAsync(1000, cancellationToken);
        return TypedResults.Ok(new OperationsOverview(
            Core.VietnamTime.ToLocal(time.GetUtcNow()),
            queues,
            new DeadLetterOverview(letters.Count, DeadLetterCatalog.Group(letters), [.. letters.AsEnumerable().Reverse().Take(5)]),
            new DeadlineCounts(deadlines.Overdue.Count, deadlines.DueToday.Count, deadlines.NearDue.Count, deadlines.Paused.Count, deadlines.Truncated),
            [.. circuits.Current.Select(ConnectorView.Of)]));
    }
}
