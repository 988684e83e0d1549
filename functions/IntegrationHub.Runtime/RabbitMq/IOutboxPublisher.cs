namespace IntegrationHub.Runtime.RabbitMq;

/// <summary>
/// How the outbox relay hands due messages to a broker transport (RabbitMQ, Azure Service Bus), and
/// that transport's own upkeep, which the relay runs about once a second. Registered under the
/// transport's name; a transport without one (embedded) has no relay.
/// </summary>
internal interface IOutboxPublisher
{
    /// <summary>Sends the messages to <paramref name="queue"/>, durably when the task completes; throws when the broker cannot take them now.</summary>
    Task PublishAsync(string queue, IReadOnlyList<OutboxMessage> messages, CancellationToken cancellationToken);

    /// <summary>The transport's periodic upkeep (RabbitMQ returns pulls whose locks ran out).</summary>
    Task SweepAsync(CancellationToken cancellationToken);
}
