using IntegrationHub.Runtime.Queues;
using IntegrationHub.Runtime.Store;
using IntegrationHub.Runtime.Store.PostgreSql;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Runtime.RabbitMq;

/// <summary>
/// The RabbitMQ transport: quorum queues on a broker, and beside them in the hub store what the broker
/// lacks (the outbox and its relay, duplicate detection, delays, messages held for pullers).
/// </summary>
internal static class RabbitMqTransport
{
    public static IServiceCollection AddRabbitMqTransport(this IServiceCollection services)
    {
        services.TryAddSingleton<RabbitMqConnections>();
        services.TryAddSingleton<RabbitMqPublisher>();
        services.TryAddSingleton<RabbitMqQueues>();
        services.TryAddSingleton<RabbitMqAcceptance>();
        services.TryAddSingleton<RabbitMqConsumers>();
        services.TryAddSingleton<HeldMessages>();
        services.TryAddSingleton<IBrokerStore>(provider => provider.GetRequiredService<IOptions<MessagingOptions>>().Value.Store == MessagingOptions.PostgresStore
            ? new PostgresBrokerStore(provider.GetRequiredService<PostgresHubDatabase>())
            : new SqliteBrokerStore(provider.GetRequiredService<HubWriter>()));
        services.TryAddSingleton<OutboxRelay>();
        services.AddHostedService(provider => provider.GetRequiredService<OutboxRelay>());
        services.AddHostedService<OutboxListener>();
        services.AddReceiverControl<RabbitMqConsumers>(MessagingOptions.RabbitMqTransport);
        return services.AddQueueTransport<RabbitMqSender, RabbitMqReceiving, RabbitMqSettlement, RabbitMqDeadLetterReplay, RabbitMqAdmin, RabbitMqPuller, RabbitMqOutgoing>(
            MessagingOptions.RabbitMqTransport);
    }
}
