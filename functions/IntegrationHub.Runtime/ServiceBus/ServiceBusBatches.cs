using Azure.Messaging.ServiceBus;
using IntegrationHub.Core.Messaging;

namespace IntegrationHub.Runtime.ServiceBus;

/// <summary>Sends messages to a queue in as few transfers as the namespace's message size allows.</summary>
internal static class ServiceBusBatches
{
    /// <summary>
    /// Sends every message, durably when the task completes (each transfer is one batch the namespace
    /// takes whole); a message that fits no batch on its own is refused naming it, and the ones after
    /// it are not sent.
    /// </summary>
    public static async Task SendAsync(ServiceBusSender sender, string queue, IReadOnlyList<(ServiceBusMessage Sent, OutgoingMessage Message)> messages, CancellationToken cancellationToken)
    {
        if (messages.Count == 1)
        {
            await ServiceBusErrors.Refusing(queue, null, () => Refused(queue, messages[0].Message, () => sender.SendMessageAsync(messages[0].Sent, cancellationToken)));
            return;
        }

        var batch = await sender.CreateMessageBatchAsync(cancellationToken);
        try
        {
            foreach (var (sent, message) in messages)
            {
                if (batch.TryAddMessage(sent))
                {
                    continue;
                }

                if (batch.Count == 0)
                {
                    throw TooLarge(queue, message);
                }

                await ServiceBusErrors.Refusing(queue, null, () => sender.SendMessagesAsync(batch, cancellationToken));
                batch.Dispose();
                batch = await sender.CreateMessageBatchAsync(cancellationToken);
                if (!batch.TryAddMessage(sent))
                {
                    throw TooLarge(queue, message);
                }
            }

            if (batch.Count > 0)
            {
                await ServiceBusErrors.Refusing(queue, null, () => sender.SendMessagesAsync(batch, cancellationToken));
            }
        }
        finally
        {
            batch.Dispose();
        }
    }

    private static async Task Refused(string queue, OutgoingMessage message, Func<Task> send)
    {
        try
        {
            await send();
        }
        catch (ServiceBusException ex) when (ex.Reason == ServiceBusFailureReason.MessageSizeExceeded)
        {
            throw TooLarge(queue, message);
        }
    }

    // The hub's size (body, ids and properties) is within the limit, but not with what AMQP adds to it.
    private static MessageSizeExceededException TooLarge(string queue, OutgoingMessage message) =>
        new(queue, message.MessageId, MessageSize.Of(message), MessageSize.Limit);
}
