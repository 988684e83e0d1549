using Azure.Messaging.ServiceBus;
using IntegrationHub.Core.Messaging;
using IntegrationHub.Runtime.RabbitMq;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Runtime.ServiceBus;

/// <summary>
/// Sorts what a receiver took from a queue out against the hub store before anyone receives it, as
/// on RabbitMQ: a copy of a message id already claimed within the window is a duplicate and is
/// completed unseen (the namespace's own duplicate detection is off: it would drop a dead letter
/// replayed under its own id); a copy out of deliveries (those it carries from before a delay
/// included) is dead-lettered <c>MaxDeliveryCountExceeded</c>; a dead letter a hub transaction wrote,
/// which a sender cannot put into a dead-letter queue, is dead-lettered with its reason. The rest
/// are returned.
/// </summary>
internal sealed class ServiceBusAcceptance(IBrokerStore broker, IOptions<MessagingOptions> options, TimeProvider time, ILogger<ServiceBusAcceptance> logger)
{
    public async Task<List<ServiceBusReceivedMessage>> AcceptAsync(string queue, ServiceBusReceiver receiver, IReadOnlyList<ServiceBusReceivedMessage> received, CancellationToken cancellationToken)
    {
        if (received.Count == 0)
        {
            return [];
        }

        var settings = options.Value;
        var written = received.Where(m => ServiceBusMessages.DeadLetterReasonOf(m) is not null).ToList();
        var messages = written.Count == 0 ? received : received.Except(written).ToList();
        var (checks, deadLetterChecks) = await CheckAsync(queue, receiver, received, messages, written, cancellationToken);

        var accepted = new List<ServiceBusReceivedMessage>(messages.Count);
        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i];
            var deliveries = ServiceBusMessages.Deliveries(message);
            if (checks[i].Duplicate)
            {
                Log.DuplicateDropped(logger, message.MessageId ?? "", queue);
                await SettleQuietlyAsync(() => receiver.CompleteMessageAsync(message, CancellationToken.None));
            }
            else if (deliveries > settings.MaxDeliveryCount)
            {
                var description = $"Delivered {deliveries - 1} times; the queue allows {settings.MaxDeliveryCount}.";
                await SettleQuietlyAsync(() => receiver.DeadLetterMessageAsync(
                    message, ServiceBusMessages.DeadLettered(message, time.GetUtcNow()), DeadLetterReasons.MaxDeliveryCountExceeded, description, CancellationToken.None));
            }
            else
            {
                accepted.Add(message);
            }
        }

        for (var i = 0; i < written.Count; i++)
        {
            var message = written[i];
            await SettleQuietlyAsync(() => deadLetterChecks[i].Duplicate
                ? receiver.CompleteMessageAsync(message, CancellationToken.None)
                : receiver.DeadLetterMessageAsync(
                    message, ServiceBusMessages.DeadLettered(message, time.GetUtcNow()), ServiceBusMessages.DeadLetterReasonOf(message), ServiceBusMessages.DeadLetterDescriptionOf(message), CancellationToken.None));
        }

        return accepted;
    }

    /// <summary>Each message's claim, and each written dead letter's under the dead-letter queue's name.</summary>
    private async Task<((bool Duplicate, int Peeks)[] Messages, (bool Duplicate, int Peeks)[] DeadLetters)> CheckAsync(
        string queue, ServiceBusReceiver receiver, IReadOnlyList<ServiceBusReceivedMessage> received, IReadOnlyList<ServiceBusReceivedMessage> messages, List<ServiceBusReceivedMessage> written, CancellationToken cancellationToken)
    {
        var window = options.Value.DuplicateDetectionWindow;
        try
        {
            var checks = messages.Count == 0 ? [] : await broker.CheckAsync(queue, [.. messages.Select(Copy)], window, cancellationToken);

            // A dead letter written twice (a relay that died between the send and its delete) is the same
            // copy: its claim is the copy's, under the dead-letter queue's name, so that it never takes
            // the message id's claim on the queue itself.
            var deadLetterChecks = written.Count == 0 ? [] : await broker.CheckAsync(
                QueueNames.DeadLetterOf(queue),
                [.. written.Select(m => Copy(m) with { MessageId = ServiceBusMessages.CopyOf(m) })],
                window,
                cancellationToken);
            return (checks, deadLetterChecks);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The store cannot be asked: the namespace gets them back and delivers them again.
            Log.AcceptFailed(logger, received.Count, queue, ex);
            foreach (var message in received)
            {
                await SettleQuietlyAsync(() => receiver.AbandonMessageAsync(message, cancellationToken: CancellationToken.None));
            }

            throw;
        }
    }

    private static ReceivedCopy Copy(ServiceBusReceivedMessage message) =>
        new(message.MessageId ?? "", ServiceBusMessages.CopyOf(message), message.EnqueuedTime, ServiceBusMessages.Redelivered(message));

    /// <summary>A settlement the receivers never see: a lock lost meanwhile brings the message back, to be sorted out again.</summary>
    private async Task SettleQuietlyAsync(Func<Task> settle)
    {
        try
        {
            await settle();
        }
        catch (ServiceBusException ex)
        {
            Log.ServiceBusSettleFailed(logger, ex.Reason.ToString(), ex);
        }
    }
}
