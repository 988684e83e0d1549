using IntegrationHub.Core.Messaging;
using IntegrationHub.Functions.Http;
using IntegrationHub.Functions.Security;

namespace IntegrationHub.Functions.Operations;

/// <summary>
/// An operator lists dead letters, newest first, grouped by queue, reason and exception type; by
/// queue, reason, exception type, time, or text (message id, dossier code, description, body).
/// </summary>
internal sealed class ListDeadLettersOnHttp(DeadLetterCatalog catalog)
{
    public static void Map(IEndpointRouteBuilder routes) => routes
        .MapGet("/api/ops/dead-letters", (string? queue, string? reason, string? exceptionType, string? text, DateTimeOffset? from, DateTimeOffset? to, int? limit, ListDeadLettersOnHttp function, CancellationToken cancellationToken) =>
            function.RunAsync(new DeadLetterQuery(DeadLetterQuery.Blank(queue), DeadLetterQuery.Blank(reason), DeadLetterQuery.Blank(exceptionType), DeadLetterQuery.Blank(text), from, to), limit, cancellationToken))
        .RequireAuthorization(HubRoles.Ops)
        .WithName(nameof(ListDeadLettersOnHttp))
        .Produces<DeadLetterPage>()
        .WithProblems(StatusCodes.Status404NotFound);

    public async Task<IResult> RunAsync(DeadLetterQuery query, int? limit, CancellationToken cancellationToken)
    {
        IReadOnlyList<ReceivedMessage> letters;
        try
        {
            letters = await catalog.FindAsync(query, cancellationToken);
        }
        catch (QueueNotFoundException)
        {
            return Problems.Result(Problems.NotFound, $"The hub has no queue '{query.Queue}'.");
        }

        var summaries = letters.Select(DeadLetterCatalog.Summarize).ToList();
        var take = Math.Clamp(limit ?? 200, 1, 1000);
        return TypedResults.Ok(new DeadLetterPage(summaries.Count, summaries.Count > take, DeadLetterCatalog.Group(summaries), [.. summaries.AsEnumerable().Reverse().Take(take)]));
    }
}
