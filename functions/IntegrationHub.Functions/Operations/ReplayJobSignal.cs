using System.Collections.Concurrent;

namespace IntegrationHub.Functions.Operations;

/// <summary>Tells this host's replay runner that a job was started (look now) or cancelled (stop it now).</summary>
internal sealed class ReplayJobSignal
{
    private readonly ConcurrentDictionary<string, CancellationTokenSource> running = new(StringComparer.Ordinal);
    private TaskCompletionSource woken = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Wake() => Interlocked.Exchange(ref woken, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>Completes at the next <see cref="Wake"/>.</summary>
    public Task NextAsync() => Volatile.Read(ref woken).Task;

    /// <summary>A token that <see cref="Cancel"/> cancels while the job runs here; dispose the registration when it ends.</summary>
    public JobRun Run(string id, CancellationToken stopping)
    {
        var cancel = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        running[id] = cancel;
        return new JobRun(this, id, cancel);
    }

    public void Cancel(string id)
    {
        if (running.TryGetValue(id, out var cancel))
        {
            try
            {
                cancel.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The job ended meanwhile.
            }
        }
    }

    /// <summary>A job running on this host.</summary>
    internal sealed class JobRun(ReplayJobSignal signal, string id, CancellationTokenSource cancel) : IDisposable
    {
        public CancellationToken Token => cancel.Token;

        public void Dispose()
        {
            signal.running.TryRemove(new KeyValuePair<string, CancellationTokenSource>(id, cancel));
            cancel.Dispose();
        }
    }
}
