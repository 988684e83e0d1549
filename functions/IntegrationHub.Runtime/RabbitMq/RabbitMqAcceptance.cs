using IntegrationHub.Core.Messaging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Runtime.RabbitMq;

/// <summary>
/// Sorts the broker's deliveries out against the store before anyone receives them: duplicates are
/// dropped, deliveries out of deliveries are dead-lettered, and the rest carry their delivery counts
/// less the peeks the broker counted as deliveries.
/// </summary>
internal sealed class RabbitMqAcceptance(IBrokerStore broker, RabbitMqQueues queues, IOptions<MessagingOptions> options, ILogger<RabbitMqAcceptance> logger)
{
    /// <summary>
    /// Drops duplicates (acknowledging them with <paramref name="acknowledge"/>), dead-letters deliveries
    /// that are out of deliveries (publishing them to the dead-letter queue, then acknowledging them),
    /// and returns the rest.
    /// </summary>
    public async Task<List<RabbitMqReceiver.Delivery>> AcceptAsync(string queue, List<RabbitMqReceiver.Delivery> deliveries, Func<RabbitMqReceiver.Delivery, Task> acknowledge, CancellationToken cancellationToken)
    {
        if (deliveries.Count == 0)
        {
            return deliveries;
        }

        var settings = options.Value;
        var accepted = new List<RabbitMqReceiver.Delivery>(deliveries.Count);
        var copies = deliveries.Select(d => new ReceivedCopy(d.Message.MessageId, d.CopyId, d.Message.EnqueuedTimeUtc, d.Redelivered)).ToList();
        var checks = await broker.CheckAsync(queue, copies, settings.DuplicateDetectionWindow, cancellationToken);
        for (var i = 0; i < deliveries.Count; i++)
        {
            var (duplicate, peeks) = checks[i];
            var delivery = peeks == 0 ? deliveries[i] : deliveries[i] with { Message = deliveries[i].Message with { DeliveryCount = deliveries[i].Message.DeliveryCount - peeks } };
            if (duplicate)
            {
                Log.DuplicateDropped(logger, delivery.Message.MessageId, queue);
                await acknowledge(delivery);
            }
            else if (delivery.Message.DeliveryCount > settings.MaxDeliveryCount)
            {
                await queues.PublishDeadLetterAsync(queue, delivery, DeadLetterReasons.MaxDeliveryCountExceeded, Exhausted(delivery.Message.DeliveryCount - 1), cancellationToken);
                await acknowledge(delivery);
            }
            else
            {
                accepted.Add(delivery);
            }
        }

        return accepted;
    }

    /// <summary>The dead-letter description of a message delivered as often as the queue allows.</summary>
    public string Exhausted(int deliveries) => $"Delivered {deliveries} times; the queue allows {options.Value.MaxDeliveryCount}.";
}
