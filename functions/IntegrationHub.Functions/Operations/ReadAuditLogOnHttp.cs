using IntegrationHub.Core.Operations;
using IntegrationHub.Functions.Http;
using IntegrationHub.Functions.Security;
using Microsoft.AspNetCore.Authorization;

namespace IntegrationHub.Functions.Operations;

/// <summary>An operator or an auditor reads the operator audit log, newest first: who did what, when, to which messages, and why.</summary>
internal sealed class ReadAuditLogOnHttp(IOperatorAuditLog audit)
{
    private static readonly AuthorizationPolicy OpsOrAuditor = new AuthorizationPolicyBuilder().RequireRole(HubRoles.Ops, HubRoles.Auditor).Build();

    public static void Map(IEndpointRouteBuilder routes) => routes
        .MapGet("/api/ops/audit", (string? actor, string? action, string? queue, string? messageId, string? jobId, DateTimeOffset? from, DateTimeOffset? to, int? limit, ReadAuditLogOnHttp function, CancellationToken cancellationToken) =>
            function.RunAsync(new OperatorActionFilter(actor, action, queue, messageId, jobId, from, to, Math.Clamp(limit ?? 100, 1, 1000)), cancellationToken))
        .RequireAuthorization(OpsOrAuditor)
        .WithName(nameof(ReadAuditLogOnHttp))
        .Produces<AuditLogPage>()
        .WithProblems(StatusCodes.Status400BadRequest);

    public async Task<IResult> RunAsync(OperatorActionFilter filter, CancellationToken cancellationToken)
    {
        if (filter.Action is { } action && !OperatorActions.All.Contains(action, StringComparer.Ordinal))
        {
            return Problems.Result(Problems.ValidationFailed, $"action must be one of {string.Join(", ", OperatorActions.All)}.", new Dictionary<string, object?> { ["errors"] = new[] { new FieldError("action", $"unknown action '{action}'") } });
        }

        return TypedResults.Ok(new AuditLogPage([.. (await audit.ListAsync(filter, cancellationToken)).Select(AuditEntryView.Of)]));
    }
}
