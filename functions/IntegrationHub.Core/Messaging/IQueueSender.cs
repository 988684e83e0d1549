namespace IntegrationHub.Core.Messaging;

/// <summary>Sends messages to queues.</summary>
public interface IQueueSender
{
    /// <summary>Sends one message; durable when the task completes.</summary>
    Task SendAsync(string queue, OutgoingMessage message, CancellationToken cancellationToken);

    /// <summary>Sends messages as one batch; all are durable when the task completes.</summary>
    Task SendBatchAsync(string queue, IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken);
}
