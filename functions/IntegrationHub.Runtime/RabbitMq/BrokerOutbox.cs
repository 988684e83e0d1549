using IntegrationHub.Runtime.Store;
using IntegrationHub.Runtime.Store.PostgreSql;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Runtime.RabbitMq;

/// <summary>
/// What the broker transports (RabbitMQ, Azure Service Bus) keep beside their broker in the hub store,
/// registered once for both: the outbox and its relay, and the duplicate-detection claims, in the
/// store <c>Messaging:Store</c> names, and on PostgreSQL the listener that wakes the relay when any
/// instance commits to the outbox. Each transport adds its <see cref="IOutboxPublisher"/> under its name.
/// </summary>
internal static class BrokerOutbox
{
    public static IServiceCollection AddBrokerOutbox(this IServiceCollection services)
    {
        services.TryAddSingleton<IBrokerStore>(provider => provider.GetRequiredService<IOptions<MessagingOptions>>().Value.Store == MessagingOptions.PostgresStore
            ? new PostgresBrokerStore(provider.GetRequiredService<PostgresHubDatabase>())
            : new SqliteBrokerStore(provider.GetRequiredService<HubWriter>()));
        services.TryAddSingleton<OutboxRelay>();
        services.AddHostedService(provider => provider.GetRequiredService<OutboxRelay>());
        services.AddHostedService<OutboxListener>();
        return services;
    }
}
