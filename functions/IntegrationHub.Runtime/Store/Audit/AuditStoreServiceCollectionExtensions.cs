using IntegrationHub.Core.Audit;
using IntegrationHub.Runtime.Store.Flows;
using IntegrationHub.Runtime.Store.Operations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace IntegrationHub.Runtime.Store.Audit;

/// <summary>The audit chains' part of the hub store.</summary>
public static class AuditStoreServiceCollectionExtensions
{
    /// <summary>
    /// Registers the audit chains (seals, checkpoints, retention, snapshots for the verifier) on the hub
    /// database, with the logs they chain: the flows' timelines and identity lookups, and the operator audit log.
    /// </summary>
    public static IServiceCollection AddAuditStore(this IServiceCollection services)
    {
        services.AddHubStore();
        services.AddOperationsStore();
        services.AddHubMigrations(AuditMigrations.All);
        services.TryAddSingleton<IAuditStore, SqlAuditStore>();
        services.TryAddSingleton<IAuditSnapshots, SqlAuditSnapshots>();
        return services;
    }
}
