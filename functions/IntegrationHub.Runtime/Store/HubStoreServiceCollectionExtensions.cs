using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Runtime.Store;

/// <summary>Contributing to the hub database.</summary>
public static class HubStoreServiceCollectionExtensions
{
    /// <summary>
    /// Adds migrations to the hub database: they are applied, with every other component's, in
    /// version order before the database is first used. Versions are unique across the hub
    /// (messaging owns 1–99); a clash stops the host at start naming both migrations.
    /// </summary>
    public static IServiceCollection AddHubMigrations(this IServiceCollection services, params IEnumerable<HubMigration> migrations)
    {
        ArgumentNullException.ThrowIfNull(services);
        foreach (var migration in migrations)
        {
            services.AddSingleton(migration);
        }

        return services;
    }
}
