using IntegrationHub.Core.Audit;
using IntegrationHub.Functions.Http;
using IntegrationHub.Functions.Security;
using IntegrationHub.Schemas;

namespace IntegrationHub.Functions.Audit;

/// <summary>
/// An auditor has every chain verified now: "N entries in K chains, intact up to checkpoint …", or
/// each place that does not hold. The answer is 200 either way; <c>intact</c> says which.
/// </summary>
internal sealed class ReadAuditVerificationOnHttp(AuditVerificationService verification)
{
    public static void Map(IEndpointRouteBuilder routes) => routes
        .MapGet("/api/audit/verification", (long? from, ReadAuditVerificationOnHttp function, CancellationToken cancellationToken) => function.RunAsync(from, cancellationToken))
        .RequireAuthorization(HubRoles.Auditor)
        .WithName(nameof(ReadAuditVerificationOnHttp))
        .Produces<AuditVerificationReport>()
        .WithProblems(StatusCodes.Status400BadRequest);

    public async Task<IResult> RunAsync(long? from, CancellationToken cancellationToken)
    {
        try
        {
            return TypedResults.Ok(await verification.VerifyAsync(from, cancellationToken));
        }
        catch (CheckpointNotFoundException ex)
        {
            return Problems.Result(Problems.ValidationFailed, ex.Message, new Dictionary<string, object?> { ["errors"] = new[] { new FieldError("from", ex.Message) } });
        }
    }
}
