using IntegrationHub.Core.Identity;
using IntegrationHub.Core.Store;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace IntegrationHub.Runtime.Store.Flows;

/// <summary>The flows' part of the hub store.</summary>
public static class FlowStoreServiceCollectionExtensions
{
    /// <summary>
    /// Registers the dossier registry and timelines, sync cursors, deadline alerts and the
    /// identity-lookup audit log on the hub database (see <see cref="MessagingServiceCollectionExtensions.AddMessaging"/>).
    /// </summary>
    public static IServiceCollection AddHubStore(this IServiceCollection services)
    {
        services.AddHubMigrations(FlowMigrations.All);
        services.TryAddSingleton<IDossierRegistry, SqlDossierRegistry>();
        services.TryAddSingleton<ISyncCursors, SqlSyncCursors>();
        services.TryAddSingleton<IDeadlineAlerts, SqlDeadlineAlerts>();
        services.TryAddSingleton<IIdentityAuditLog, SqlIdentityAuditLog>();
        return services;
    }

    /// <summary>
    /// The dossier-code sequence for a routing <paramref name="transaction"/>. On SQLite, where one
    /// transaction writes at a time anyway, the number commits with the transaction, so a rolled-back
    /// routing leaves no gap. On PostgreSQL the number is taken in a short transaction of its own: a
    /// day's row held until each routing transaction commits would make every instance's routing wait
    /// in turn, so a rolled-back routing leaves a gap there instead, never a number handed out twice.
    /// </summary>
    public static Core.Dossiers.IDossierSequence DossierSequence(this IHubDatabase database, Core.Messaging.IHubTransaction transaction)
    {
        ArgumentNullException.ThrowIfNull(database);
        return database.Dialect == SqlDialect.PostgreSql ? new SeparateDossierSequence(database) : new TransactionalDossierSequence(transaction);
    }
}
