using IntegrationHub.Core.Messaging;
using IntegrationHub.Runtime.Queues;

namespace IntegrationHub.Runtime.Embedded;

/// <summary>The embedded transport's locks are in the hub database already: any process on it can settle them.</summary>
internal sealed class EmbeddedSharedLockReceiver(EmbeddedReceiver receiver) : ISharedLockReceiver
{
    public Task<IReadOnlyList<ReceivedMessage>> ReceiveAsync(string queue, int maxMessages, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        QueueRules.RefuseSharedLockOnDeadLetters(queue);
        return receiver.ReceiveAsync(queue, maxMessages, maxWait, cancellationToken);
    }
}
