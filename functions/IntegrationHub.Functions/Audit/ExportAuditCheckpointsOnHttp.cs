using IntegrationHub.Core.Audit;
using IntegrationHub.Functions.Security;
using IntegrationHub.Schemas;

namespace IntegrationHub.Functions.Audit;

/// <summary>
/// An auditor takes a copy of the signed checkpoints (<c>integrationhub-audit-checkpoints/1</c>) to
/// keep outside the hub; given back to the verifier later, it proves nothing before them was rewritten.
/// </summary>
internal sealed class ExportAuditCheckpointsOnHttp(IAuditSnapshots snapshots, TimeProvider time)
{
    public static void Map(IEndpointRouteBuilder routes) => routes
        .MapGet("/api/audit/checkpoints", (ExportAuditCheckpointsOnHttp function, CancellationToken cancellationToken) => function.RunAsync(cancellationToken))
        .RequireAuthorization(HubRoles.Auditor)
        .WithName(nameof(ExportAuditCheckpointsOnHttp))
        .Produces<AuditCheckpointExport>();

    public async Task<IResult> RunAsync(CancellationToken cancellationToken)
    {
        await using var snapshot = await snapshots.OpenAsync(cancellationToken);
        return TypedResults.Ok(CheckpointExports.Of(await snapshot.CheckpointsAsync(cancellationToken), Core.VietnamTime.ToLocal(time.GetUtcNow())));
    }
}
