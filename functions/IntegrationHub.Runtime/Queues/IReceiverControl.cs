namespace IntegrationHub.Runtime.Queues;

/// <summary>A transport whose broker pushes messages to this process's consumer of a queue.</summary>
internal interface IReceiverControl
{
    /// <summary>Sets how many unsettled messages this process's consumer of the queue may hold.</summary>
    void SetPrefetch(string queue, int prefetch);

    /// <summary>
    /// Stops the broker from delivering more of the queue to this process (at shutdown), so that
    /// messages returned now are not delivered straight back before the connection closes.
    /// </summary>
    Task StopReceivingAsync(string queue, CancellationToken cancellationToken);
}
