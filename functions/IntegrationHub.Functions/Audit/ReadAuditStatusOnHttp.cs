using IntegrationHub.Core.Audit;
using IntegrationHub.Functions.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Functions.Audit;

/// <summary>An operator or an auditor sees the chains at a glance: lengths, what is not yet sealed or signed, the last checkpoint.</summary>
internal sealed class ReadAuditStatusOnHttp(IAuditSnapshots snapshots, IAuditStore store, IOptions<AuditOptions> options)
{
    private static readonly AuthorizationPolicy OpsOrAuditor = new AuthorizationPolicyBuilder().RequireRole(HubRoles.Ops, HubRoles.Auditor).Build();

    public static void Map(IEndpointRouteBuilder routes) => routes
        .MapGet("/api/audit/status", (ReadAuditStatusOnHttp function, CancellationToken cancellationToken) => function.RunAsync(cancellationToken))
        .RequireAuthorization(OpsOrAuditor)
        .WithName(nameof(ReadAuditStatusOnHttp))
        .Produces<AuditStatus>();

    public async Task<IResult> RunAsync(CancellationToken cancellationToken)
    {
        // Read before the snapshot is taken, not while it holds its connection: a request holds one
        // connection of the pool at a time, so requests at once never wait for one another's.
        var verified = await store.LastVerificationAsync(cancellationToken);
        await using var snapshot = await snapshots.OpenAsync(cancellationToken);
        var last = (await snapshot.CheckpointsAsync(cancellationToken)).MaxBy(c => c.Number);
        var chains = new List<AuditChainStatus>();
        foreach (var head in await snapshot.HeadsAsync(cancellationToken))
        {
            chains.Add(AuditChainStatus.Of(head, last, await snapshot.UnsealedAsync(head.Chain, cancellationToken)));
        }

        return TypedResults.Ok(new AuditStatus(options.Value.Chaining, last is null ? null : AuditViews.Of(last), chains, verified));
    }
}
