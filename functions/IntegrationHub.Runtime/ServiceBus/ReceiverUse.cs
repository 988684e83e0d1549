namespace IntegrationHub.Runtime.ServiceBus;

/// <summary>
/// The calls in flight on one function receiver's link, so that the receiver is closed only once they
/// have ended; a receiver that is closing lets no new call through.
/// </summary>
internal sealed class ReceiverUse
{
    private readonly Lock gate = new();
    private readonly TaskCompletionSource drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int inFlight;
    private bool closing;

    /// <summary>Counts a call in, unless the receiver is closing.</summary>
    public bool TryEnter()
    {
        lock (gate)
        {
            if (closing)
            {
                return false;
            }

            inFlight++;
            return true;
        }
    }

    /// <summary>Counts a call out.</summary>
    public void Exit()
    {
        lock (gate)
        {
            if (--inFlight == 0 && closing)
            {
                drained.TrySetResult();
            }
        }
    }

    /// <summary>Lets no new call through; completes when the calls in flight have ended.</summary>
    public Task ClosingAsync()
    {
        lock (gate)
        {
            closing = true;
            if (inFlight == 0)
            {
                drained.TrySetResult();
            }
        }

        return drained.Task;
    }
}
