using IntegrationHub.Runtime.Queues;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace IntegrationHub.Runtime.RabbitMq;

/// <summary>
/// The RabbitMQ transport: quorum queues on a broker, and beside them in the hub store what the broker
/// lacks (the outbox and its relay, duplicate detection, delays, messages held for pullers; the outbox
/// and the claims are <see cref="BrokerOutbox"/>'s, shared with the Service Bus transport).
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
        services.AddKeyedSingleton<IOutboxPublisher, RabbitMqOutboxPublisher>(MessagingOptions.RabbitMqTransport);
        services.AddReceiverControl<RabbitMqConsumers>(MessagingOptions.RabbitMqTransport);
        return services.AddQueueTransport<RabbitMqSender, RabbitMqReceiving, RabbitMqSettlement, RabbitMqDeadLetterReplay, RabbitMqAdmin, RabbitMqPuller, RabbitMqOutgoing>(
            MessagingOptions.RabbitMqTransport);
    }
}
