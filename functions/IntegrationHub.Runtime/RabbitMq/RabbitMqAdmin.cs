using IntegrationHub.Core.Messaging;
using IntegrationHub.Runtime.Queues;
using IntegrationHub.Runtime.Store;

namespace IntegrationHub.Runtime.RabbitMq;

/// <summary>
/// Declares RabbitMQ queues (on the broker and in the registry) and counts their messages: ready and
/// dead-lettered from the broker, locked from this process's consumer and the messages held for
/// pullers, scheduled from the outbox.
/// </summary>
internal sealed class RabbitMqAdmin(RabbitMqQueues queues, RabbitMqConsumers consumers, RabbitMqConnections connections, HeldMessages held, QueueRegistry registry, IHubStore store, TimeProvider time) : IQueueAdmin
{
    public async Task EnsureQueueAsync(string queue, CancellationToken cancellationToken)
    {
        QueueRules.ValidateDeclarable(queue);
        await queues.DeclareAsync(queue, cancellationToken);
        await registry.DeclareAsync(queue, cancellationToken);
    }

    public Task<IReadOnlyList<string>> ListQueuesAsync(CancellationToken cancellationToken) => registry.ListAsync(cancellationToken);

    public async Task<QueueStatistics> GetStatisticsAsync(string queue, CancellationToken cancellationToken)
    {
        await registry.EnsureKnownAsync(queue, cancellationToken);
        var source = QueueNames.SourceOf(queue);
        var connection = await connections.GetAsync(RabbitMqConnections.Consuming, cancellationToken);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        var ready = await channel.QueueDeclarePassiveAsync(source, cancellationToken);
        var deadLetters = await channel.QueueDeclarePassiveAsync(QueueNames.DeadLetterOf(source), cancellationToken);
        var local = consumers.Existing(source);
        var localDeadLetters = consumers.Existing(QueueNames.DeadLetterOf(source));
        long scheduled;
        await using (var database = await store.OpenAsync(cancellationToken))
        {
            scheduled = await OutboxRows.CountScheduledAsync(database, source, time.GetUtcNow(), cancellationToken);
        }

        return new QueueStatistics
        {
            Queue = source,
            ActiveMessageCount = ready.MessageCount + (local?.Buffered ?? 0),
            LockedMessageCount = (local?.Locked ?? 0) + await held.CountAsync(source, cancellationToken),
            ScheduledMessageCount = scheduled,
            DeadLetterMessageCount = deadLetters.MessageCount + (localDeadLetters?.Buffered ?? 0) + (localDeadLetters?.Locked ?? 0),
        };
    }
}
