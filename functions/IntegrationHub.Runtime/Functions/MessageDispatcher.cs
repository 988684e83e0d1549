using System.Collections.Concurrent;
using IntegrationHub.Core.Messaging;

namespace IntegrationHub.Runtime.Functions;

/// <summary>
/// Runs received messages in receive order, at most <c>concurrency</c> at once. A message starts on
/// the thread that received it or that finished the one before, so that a function that completes
/// without waiting costs no switch between threads; one that waits frees the thread for the next.
/// </summary>
internal sealed class MessageDispatcher(int concurrency, Func<ReceivedMessage, Task> run, Action finished)
{
    private readonly ConcurrentQueue<ReceivedMessage> waiting = new();
    private readonly TaskCompletionSource drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int running;
    private int outstanding = 1;

    public void Enqueue(ReceivedMessage message)
    {
        Interlocked.Increment(ref outstanding);
        waiting.Enqueue(message);
        Pump();
    }

    /// <summary>Completes once everything enqueued has run (call after the last <see cref="Enqueue"/>).</summary>
    public Task DrainedAsync()
    {
        Finish();
        return drained.Task;
    }

    private void Pump()
    {
        while (true)
        {
            var current = Volatile.Read(ref running);
            if (current >= concurrency)
            {
                return;
            }

            if (Interlocked.CompareExchange(ref running, current + 1, current) != current)
            {
                continue;
            }

            if (!waiting.TryDequeue(out var message))
            {
                Interlocked.Decrement(ref running);
                if (waiting.IsEmpty)
                {
                    return;
                }

                continue;
            }

            var task = run(message);
            if (task.IsCompleted)
            {
                Done();
            }
            else
            {
                _ = DoneLaterAsync(task);
            }
        }
    }

    private async Task DoneLaterAsync(Task task)
    {
        try
        {
            await task;
        }
        finally
        {
            Done();
            Pump();
        }
    }

    private void Done()
    {
        Interlocked.Decrement(ref running);
        finished();
        Finish();
    }

    private void Finish()
    {
        if (Interlocked.Decrement(ref outstanding) == 0)
        {
            drained.TrySetResult();
        }
    }
}
