using IntegrationHub.Core.Messaging;
using IntegrationHub.Runtime.Queues;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;

namespace IntegrationHub.Runtime.RabbitMq;

/// <summary>
/// Receives for consumers outside the hub under a lock every instance can settle: messages are taken
/// from the broker with <c>basic.get</c> (so that no consumer of this process keeps a department's
/// messages from another instance), held in the store (<see cref="HeldMessages"/>), then acknowledged.
/// </summary>
internal sealed class RabbitMqPuller(
    RabbitMqConnections connections,
    RabbitMqAcceptance acceptance,
    HeldMessages held,
    QueueRegistry registry,
    IOptions<MessagingOptions> options,
    TimeProvider time) : ISharedLockReceiver
{
    public async Task<IReadOnlyList<ReceivedMessage>> ReceiveAsync(string queue, int maxMessages, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessages, 1);
        QueueRules.RefuseSharedLockOnDeadLetters(queue);
        await registry.EnsureKnownAsync(queue, cancellationToken);
        var poll = options.Value.PollInterval;
        var deadline = time.GetUtcNow() + maxWait;
        while (true)
        {
            var pulled = await PullAsync(queue, maxMessages, cancellationToken);
            var remaining = deadline - time.GetUtcNow();
            if (pulled.Count > 0 || remaining <= TimeSpan.Zero)
            {
                return pulled;
            }

            await Task.Delay(remaining < poll ? remaining : poll, time, cancellationToken);
        }
    }

    /// <summary>
    /// Takes up to <paramref name="max"/> messages from the broker, holds those that are not duplicates in
    /// the store, then acknowledges them all. Dying before the acknowledgement returns them to the queue,
    /// and a copy held already is not held twice.
    /// </summary>
    private async Task<List<ReceivedMessage>> PullAsync(string queue, int max, CancellationToken cancellationToken)
    {
        var connection = await connections.GetAsync(RabbitMqConnections.Consuming, cancellationToken);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        var taken = new List<RabbitMqReceiver.Delivery>();
        while (taken.Count < max && await channel.BasicGetAsync(queue, autoAck: false, cancellationToken) is { } got)
        {
            var message = RabbitMqMessages.Read(queue, got.BasicProperties, got.Body.ToArray());
            taken.Add(new RabbitMqReceiver.Delivery(0, got.DeliveryTag, message, got.BasicProperties, RabbitMqMessages.CopyOf(got.BasicProperties), got.Redelivered));
        }

        if (taken.Count == 0)
        {
            return [];
        }

        // Duplicates and exhausted deliveries are acknowledged with the rest, below.
        var accepted = await acceptance.AcceptAsync(queue, taken, _ => Task.CompletedTask, cancellationToken);
        var pulled = await held.HoldAsync(queue, accepted.Select(d => (d.Message, d.CopyId)).ToList(), cancellationToken);
        await channel.BasicAckAsync(taken[^1].Tag, multiple: true, cancellationToken);
        await channel.CloseAsync(cancellationToken);
        return pulled;
    }
}
