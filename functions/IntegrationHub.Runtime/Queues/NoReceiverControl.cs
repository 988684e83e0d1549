namespace IntegrationHub.Runtime.Queues;

/// <summary>A transport whose receivers ask for messages: there is no push to control.</summary>
internal sealed class NoReceiverControl : IReceiverControl
{
    public static readonly NoReceiverControl Instance = new();

    public void SetPrefetch(string queue, int prefetch)
    {
        // Nothing is pushed: a receive asks for as many as the processor has room for.
    }

    public Task StopReceivingAsync(string queue, CancellationToken cancellationToken) => Task.CompletedTask;
}
