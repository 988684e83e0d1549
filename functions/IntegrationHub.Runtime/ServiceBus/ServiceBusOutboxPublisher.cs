using IntegrationHub.Core.Messaging;
using IntegrationHub.Runtime.RabbitMq;

namespace IntegrationHub.Runtime.ServiceBus;

/// <summary>
/// The outbox sent to Service Bus: each row as the copy it is, carrying its deliveries, scheduled
/// natively when it is a delayed copy. A row for a dead-letter queue (a dead letter a hub transaction
/// wrote) goes to its queue with its reason, for the queue's next receiver to dead-letter: a sender
/// cannot put a message into a dead-letter queue.
/// </summary>
internal sealed class ServiceBusOutboxPublisher(ServiceBusClients clients) : IOutboxPublisher
{
    public Task PublishAsync(string queue, IReadOnlyList<OutboxMessage> messages, CancellationToken cancellationToken)
    {
        var target = QueueNames.SourceOf(queue);
        var sent = messages.Select(m => (ServiceBusMessages.ToServiceBus(m.Message, m.CopyId, m.Deliveries, ServiceBusMessages.ScheduledTimeOf(m.Message)), m.Message)).ToList();
        return ServiceBusBatches.SendAsync(clients.Sender(target), target, sent, cancellationToken);
    }

    public Task SweepAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
