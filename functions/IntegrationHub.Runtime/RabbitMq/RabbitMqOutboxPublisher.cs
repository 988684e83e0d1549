namespace IntegrationHub.Runtime.RabbitMq;

/// <summary>The outbox published to RabbitMQ with confirms; the upkeep returns pulls whose locks ran out.</summary>
internal sealed class RabbitMqOutboxPublisher(RabbitMqQueues queues, HeldMessages held, TimeProvider time) : IOutboxPublisher
{
    public Task PublishAsync(string queue, IReadOnlyList<OutboxMessage> messages, CancellationToken cancellationToken) =>
        queues.PublishAsync(
            queue,
            [.. messages.Select(m => (RabbitMqMessages.Properties(m.Message, m.CopyId, RabbitMqMessages.NextSequence(time), time.GetUtcNow(), m.Deliveries), m.Message.Body))],
            cancellationToken);

    public Task SweepAsync(CancellationToken cancellationToken) => held.ReturnExpiredAsync(cancellationToken);
}
