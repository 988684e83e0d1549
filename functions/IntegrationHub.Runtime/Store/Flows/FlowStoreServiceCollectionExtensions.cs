using IntegrationHub.Core.Dossiers;
using IntegrationHub.Core.Identity;
using IntegrationHub.Core.Store;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace IntegrationHub.Runtime.Store.Flows;

/// <summary>The flows' part of the hub store.</summary>
public static class FlowStoreServiceCollectionExtensions
{
    /// <summary>
    /// Registers the dossier registry and timelines, sync cursors, deadline alerts, the dossier-code
    /// sequences and the identity-lookup audit log on the hub database (see <see cref="MessagingServiceCollectionExtensions.AddMessaging"/>).
    /// </summary>
    public static IServiceCollection AddHubStore(this IServiceCollection services)
    {
        services.AddHubMigrations(FlowMigrations.All);
        services.TryAddSingleton<IDossierRegistry, SqlDossierRegistry>();
        services.TryAddSingleton<ISyncCursors, SqlSyncCursors>();
        services.TryAddSingleton<IDeadlineAlerts, SqlDeadlineAlerts>();
        services.TryAddSingleton<IIdentityAuditLog, SqlIdentityAuditLog>();
        services.TryAddSingleton<IDossierSequences, SqlDossierSequences>();
        return services;
    }
}
