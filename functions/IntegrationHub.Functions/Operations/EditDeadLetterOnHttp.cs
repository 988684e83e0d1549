using System.Security.Claims;
using IntegrationHub.Core.Messaging;
using IntegrationHub.Functions.Http;
using IntegrationHub.Functions.Security;
using IntegrationHub.Schemas;

namespace IntegrationHub.Functions.Operations;

/// <summary>
/// An operator corrects a dead letter's body and replays it under its own message id, or previews
/// the change (<c>dryRun</c>); the change, field by field, and its author go to the audit log.
/// </summary>
internal sealed class EditDeadLetterOnHttp(DeadLetterEditor replays)
{
    public static void Map(IEndpointRouteBuilder routes) => routes
        .MapPost("/api/ops/dead-letters/{queue}/{messageId}/edit", (string queue, string messageId, JsonBody<DeadLetterEditRequest> body, ClaimsPrincipal user, EditDeadLetterOnHttp function, CancellationToken cancellationToken) =>
            function.RunAsync(queue, messageId, body.Value, Operator.Of(user), cancellationToken))
        .RequireAuthorization(HubRoles.Ops)
        .WithName(nameof(EditDeadLetterOnHttp))
        .Produces<EditOutcome>()
        .WithProblems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);

    public async Task<IResult> RunAsync(string queue, string messageId, DeadLetterEditRequest edit, Operator by, CancellationToken cancellationToken)
    {
        try
        {
            return TypedResults.Ok(await replays.EditAsync(queue, messageId, edit, by, cancellationToken));
        }
        catch (OperationsRequestException ex)
        {
            return ex.ToResult();
        }
        catch (MessageSizeExceededException ex)
        {
            return Problems.Result(Problems.PayloadTooLarge, ex.Message, new Dictionary<string, object?> { ["limit"] = ex.Limit });
        }
    }
}
