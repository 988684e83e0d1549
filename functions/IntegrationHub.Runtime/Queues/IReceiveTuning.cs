namespace IntegrationHub.Runtime.Queues;

/// <summary>A transport that holds messages for its receivers (a broker's prefetch) and needs to know how many.</summary>
internal interface IReceiveTuning
{
    /// <summary>Sets how many unsettled messages this process's consumer of the queue may hold.</summary>
    void SetPrefetch(string queue, int prefetch);
}
