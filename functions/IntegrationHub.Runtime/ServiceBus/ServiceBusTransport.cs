using IntegrationHub.Runtime.Queues;
using IntegrationHub.Runtime.RabbitMq;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace IntegrationHub.Runtime.ServiceBus;

/// <summary>
/// The Azure Service Bus transport: queues in a namespace, reached with the public SDK only, its
/// peek-lock, renewal, dispositions, delivery count, scheduling and peek used as they are; beside them
/// in the hub store what Service Bus lacks for the hub's port (the outbox and its relay, the duplicate
/// claims that let a dead letter be replayed under its own id, delays, the record of pulls). A hub
/// transaction's messages go through the outbox as on RabbitMQ (the same <see cref="RabbitMqOutgoing"/>).
/// </summary>
internal static class ServiceBusTransport
{
    public static IServiceCollection AddServiceBusTransport(this IServiceCollection services)
    {
        services.TryAddSingleton<ServiceBusClients>();
        services.TryAddSingleton<ServiceBusLocks>();
        services.TryAddSingleton<ServiceBusAcceptance>();
        services.TryAddSingleton<ServiceBusPulls>();
        services.AddKeyedSingleton<IOutboxPublisher, ServiceBusOutboxPublisher>(MessagingOptions.ServiceBusTransport);
        services.AddReceiverControl<ServiceBusReceiverControl>(MessagingOptions.ServiceBusTransport);
        return services.AddQueueTransport<ServiceBusQueueSender, ServiceBusQueueReceiver, ServiceBusQueueSettlement, ServiceBusDeadLetterReplay, ServiceBusQueueAdmin, ServiceBusPuller, RabbitMqOutgoing>(
            MessagingOptions.ServiceBusTransport);
    }
}
