using IntegrationHub.Core.Messaging;
using IntegrationHub.Runtime.Queues;
using IntegrationHub.Runtime.RabbitMq;

namespace IntegrationHub.Runtime.ServiceBus;

/// <summary>
/// Sends to Service Bus queues, each message a copy of its own (for the hub's duplicate claims); a
/// message for later is scheduled natively (<c>ScheduledEnqueueTime</c>).
/// </summary>
internal sealed class ServiceBusQueueSender(ServiceBusClients clients, QueueRegistry registry) : IQueueSender
{
    public Task SendAsync(string queue, OutgoingMessage message, CancellationToken cancellationToken) =>
        SendBatchAsync(queue, [message], cancellationToken);

    public async Task SendBatchAsync(string queue, IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken)
    {
        QueueRules.Validate(queue, messages);
        await registry.EnsureKnownAsync(queue, cancellationToken);
        var sent = messages.Select(m => (ServiceBusMessages.ToServiceBus(m, RabbitMqMessages.NewCopyId(), 0, m.ScheduledEnqueueTimeUtc), m)).ToList();
        await ServiceBusBatches.SendAsync(clients.Sender(queue), queue, sent, cancellationToken);
    }
}
