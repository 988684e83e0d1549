using IntegrationHub.Runtime.Queues;

namespace IntegrationHub.Runtime.ServiceBus;

/// <summary>
/// What host.json says of a queue function's receiving, applied to its Service Bus receiver. The SDK
/// receiver's prefetch is the function's calls plus its prefetch, as a RabbitMQ consumer's is: a
/// prefetching AMQP link gets credit back only as its messages are settled, so it never holds more
/// unsettled messages than its prefetch, and those running count. At shutdown the receiver is closed,
/// so that the namespace sends this process nothing more.
/// </summary>
internal sealed class ServiceBusReceiverControl(ServiceBusClients clients) : IReceiverControl
{
    public void SetPrefetch(string queue, int prefetch) => clients.SetPrefetch(queue, prefetch);

    public Task StopReceivingAsync(string queue, CancellationToken cancellationToken) => clients.CloseReceiverAsync(queue, cancellationToken);
}
