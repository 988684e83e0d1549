using IntegrationHub.Core.Operations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace IntegrationHub.Runtime.Store.Operations;

/// <summary>The operations part of the hub store.</summary>
public static class OperationsStoreServiceCollectionExtensions
{
    /// <summary>Registers the operator audit log and the replay jobs on the hub database.</summary>
    public static IServiceCollection AddOperationsStore(this IServiceCollection services)
    {
        services.AddHubMigrations(OperationsMigrations.All);
        services.TryAddSingleton<IOperatorAuditLog, SqlOperatorAuditLog>();
        services.TryAddSingleton<IReplayJobs, SqlReplayJobs>();
        return services;
    }
}
