using IntegrationHub.Core.Messaging;
using IntegrationHub.Runtime.Queues;

namespace IntegrationHub.Runtime.RabbitMq;

/// <summary>
/// Sends on the RabbitMQ transport: published with confirms now, or kept in the outbox until a
/// scheduled time, when the relay publishes it (different schedules never wait on one another).
/// </summary>
internal sealed class RabbitMqSender(RabbitMqQueues queues, OutboxRelay relay, QueueRegistry registry, TimeProvider time) : IQueueSender
{
    public Task SendAsync(string queue, OutgoingMessage message, CancellationToken cancellationToken) =>
        SendBatchAsync(queue, [message], cancellationToken);

    public async Task SendBatchAsync(string queue, IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken)
    {
        QueueRules.Validate(queue, messages);
        await registry.EnsureKnownAsync(queue, cancellationToken);
        var now = time.GetUtcNow();
        var later = messages.Where(m => m.ScheduledEnqueueTimeUtc > now).ToList();
        foreach (var message in later)
        {
            await queues.ScheduleAsync(queue, message, message.ScheduledEnqueueTimeUtc!.Value, cancellationToken);
        }

        if (later.Count > 0)
        {
            relay.Notify();
        }

        var batch = messages.Where(m => !(m.ScheduledEnqueueTimeUtc > now))
            .Select(m => (RabbitMqMessages.Properties(m, RabbitMqMessages.NewCopyId(), RabbitMqMessages.NextSequence(time), now, 0), m.Body))
            .ToList();
        if (batch.Count > 0)
        {
            await queues.PublishAsync(queue, batch, cancellationToken);
        }
    }
}
