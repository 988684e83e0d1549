using IntegrationHub.Core.Messaging;
using IntegrationHub.Core.Operations;
using IntegrationHub.Core.Store;
using IntegrationHub.Functions.Http;
using IntegrationHub.Functions.Security;

namespace IntegrationHub.Functions.Operations;

/// <summary>
/// An operator inspects one dead letter: body, properties, reason, description, deliveries, times,
/// the queue a replay sends it to, its dossier's timeline, and what operators did with it before.
/// </summary>
internal sealed class ReadDeadLetterOnHttp(DeadLetterCatalog catalog, IDossierRegistry dossiers, IOperatorAuditLog audit)
{
    public static void Map(IEndpointRouteBuilder routes) => routes
        .MapGet("/api/ops/dead-letters/{queue}/{messageId}", (string queue, string messageId, ReadDeadLetterOnHttp function, CancellationToken cancellationToken) =>
            function.RunAsync(queue, messageId, cancellationToken))
        .RequireAuthorization(HubRoles.Ops)
        .WithName(nameof(ReadDeadLetterOnHttp))
        .Produces<DeadLetterDetail>()
        .WithProblems(StatusCodes.Status404NotFound);

    public async Task<IResult> RunAsync(string queue, string messageId, CancellationToken cancellationToken)
    {
        ReceivedMessage? letter;
        try
        {
            letter = await catalog.FindOneAsync(queue, messageId, cancellationToken);
        }
        catch (QueueNotFoundException)
        {
            letter = null;
        }

        if (letter is null)
        {
            return Problems.Result(Problems.NotFound, $"There is no dead letter '{messageId}' of queue '{queue}'.");
        }

        var dossier = letter.CorrelationId is { } code ? await dossiers.ReadAsync(code, cancellationToken) : null;
        var timeline = dossier is null ? [] : await dossiers.TimelineAsync(dossier.PortalCode, cancellationToken);
        var history = await audit.ListAsync(new OperatorActionFilter(null, null, null, messageId, null, null, null, 50), cancellationToken);
        var json = DeadLetterCatalog.JsonOf(letter.Body);
        return TypedResults.Ok(new DeadLetterDetail(
            DeadLetterCatalog.Summarize(letter),
            letter.ContentType,
            json,
            json is null ? DeadLetterCatalog.TextOf(letter.Body) : null,
            letter.ApplicationProperties,
            OperationsViews.TraceIdOf(letter.ApplicationProperties),
            DeadLetterCatalog.SourceOf(letter),
            dossier is null ? null : new DossierBrief(dossier.PortalCode, dossier.CityCode, dossier.ProcedureCode, dossier.Stage, dossier.DepartmentCode),
            [.. timeline.Select(Status.TimelineStep.Of)],
            [.. history.Select(AuditEntryView.Of)]));
    }
}
