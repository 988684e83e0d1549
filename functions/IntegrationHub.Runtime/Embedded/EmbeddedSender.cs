using IntegrationHub.Core.Messaging;
using IntegrationHub.Runtime.Queues;
using IntegrationHub.Runtime.Store;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Runtime.Embedded;

/// <summary>Sends on the embedded transport: rows of the queue table, duplicates within the window left out.</summary>
internal sealed class EmbeddedSender(HubWriter writer, QueueRegistry registry, QueueSignals signals, IOptions<MessagingOptions> options, TimeProvider time) : IQueueSender
{
    public Task SendAsync(string queue, OutgoingMessage message, CancellationToken cancellationToken) =>
        SendBatchAsync(queue, [message], cancellationToken);

    public async Task SendBatchAsync(string queue, IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken)
    {
        QueueRules.Validate(queue, messages);
        await writer.RunAsync(
            connection =>
            {
                registry.EnsureKnown(connection, queue);
                return EmbeddedMessages.Insert(connection, queue, messages, time.GetUtcNow(), options.Value.DuplicateDetectionWindow);
            },
            cancellationToken);
        signals.Notify(queue);
    }
}
