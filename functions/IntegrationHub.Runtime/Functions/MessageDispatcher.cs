using System.Collections.Concurrent;
using IntegrationHub.Core.Messaging;

namespace IntegrationHub.Runtime.Functions;

/// <summary>
/// Runs received messages in receive order, at most <c>concurrency</c> functions at once. A run has
/// two parts (<c>run</c>'s task, then the task it gives): the function's call, which holds one of the
/// <c>concurrency</c> call slots, and the message's settlement, which does not: the next message
/// starts while the one before is being completed, and <c>finished</c> is called once it is settled.
/// A message starts on the thread that received it or that finished the call before, so that a
/// function that completes without waiting costs no switch between threads; one that waits frees the
/// thread for the next.
/// </summary>
internal sealed class MessageDispatcher(int concurrency, Func<ReceivedMessage, Task<Task>> run, Action finished)
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

    /// <summary>Completes once everything enqueued has run and been settled (call after the last <see cref="Enqueue"/>).</summary>
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

            var call = run(message);
            if (call.IsCompletedSuccessfully)
            {
                Interlocked.Decrement(ref running);
                Settling(call.Result);
            }
            else
            {
                _ = CalledLaterAsync(call);
            }
        }
    }

    private async Task CalledLaterAsync(Task<Task> call)
    {
        Task settled;
        try
        {
            settled = await call;
        }
        catch (Exception ex)
        {
            settled = Task.FromException(ex);
        }

        Interlocked.Decrement(ref running);
        Pump();
        Settling(settled);
    }

    private void Settling(Task settled)
    {
        if (settled.IsCompleted)
        {
            Done();
        }
        else
        {
            _ = SettledLaterAsync(settled);
        }
    }

    private async Task SettledLaterAsync(Task settled)
    {
        try
        {
            await settled;
        }
        finally
        {
            Done();
        }
    }

    private void Done()
    {
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
