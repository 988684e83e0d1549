using System.Collections.Concurrent;

namespace IntegrationHub.Runtime.Queues;

/// <summary>
/// Wakes this process's receivers of a queue when this process has written to it, so that they need
/// not wait for their next poll (which finds what other processes wrote).
/// </summary>
internal sealed class QueueSignals
{
    private readonly ConcurrentDictionary<string, Signal> signals = new(StringComparer.Ordinal);

    /// <summary>A task that completes at the next <see cref="Notify"/> of the queue; take it before looking.</summary>
    public Task NextAsync(string queue) => signals.GetOrAdd(queue, _ => new Signal()).Next;

    public void Notify(string queue)
    {
        if (signals.TryGetValue(queue, out var signal))
        {
            signal.Set();
        }
    }

    /// <summary>Waits for the queue's signal, the delay (on <paramref name="time"/>) or cancellation, whichever comes first.</summary>
    public static async Task WaitAsync(Task signal, TimeSpan delay, TimeProvider time, CancellationToken cancellationToken)
    {
        if (delay <= TimeSpan.Zero || signal.IsCompleted)
        {
            return;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var sleep = Task.Delay(delay, time, timeout.Token);
        await Task.WhenAny(signal, sleep);
        await timeout.CancelAsync();
        cancellationToken.ThrowIfCancellationRequested();
    }

    private sealed class Signal
    {
        private TaskCompletionSource next = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Next => Volatile.Read(ref next).Task;

        public void Set() => Interlocked.Exchange(ref next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }
}
