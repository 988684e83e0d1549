using System.Collections.Concurrent;
using IntegrationHub.Core.Messaging;
using IntegrationHub.Runtime.Store;

namespace IntegrationHub.Runtime.Embedded;

/// <summary>
/// Completes locked messages in batches: completions that arrive while one batch is being written
/// join the next, so that a burst of them costs one hub writer operation, not one each. Each caller
/// learns, once the batch is durable, whether its message was completed or its lock was lost.
/// </summary>
internal sealed class EmbeddedCompletions(HubWriter writer, TimeProvider time)
{
    private readonly ConcurrentQueue<(LockToken Token, TaskCompletionSource Done)> pending = new();
    private int scheduled;

    public Task CompleteAsync(LockToken token, CancellationToken cancellationToken)
    {
        // Continuations run on the completing thread: the caller's next step (its next message) needs no hop.
        var done = new TaskCompletionSource();
        pending.Enqueue((token, done));
        if (Interlocked.Exchange(ref scheduled, 1) == 0)
        {
            _ = FlushAsync();
        }

        return done.Task.WaitAsync(cancellationToken);
    }

    private async Task FlushAsync()
    {
        List<(LockToken Token, TaskCompletionSource Done)>? batch = null;
        bool[] completed;
        try
        {
            completed = await writer.RunAsync(
                connection =>
                {
                    // From here on a new completion schedules the next batch.
                    Volatile.Write(ref scheduled, 0);
                    batch = Drain();
                    var now = time.GetUtcNow();
                    return batch.Select(item => EmbeddedMessages.TryComplete(connection, item.Token, now)).ToArray();
                },
                CancellationToken.None,
                isolated: false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The writer failed (or stopped) before or while writing the batch: every caller gets the error.
            if (batch is null)
            {
                Volatile.Write(ref scheduled, 0);
                batch = Drain();
            }

            batch.ForEach(item => item.Done.TrySetException(ex));
            return;
        }

        for (var i = 0; i < batch!.Count; i++)
        {
            var (token, done) = batch[i];
            if (completed[i])
            {
                done.TrySetResult();
            }
            else
            {
                done.TrySetException(new MessageLockLostException(token.Queue, token.Value));
            }
        }
    }

    private List<(LockToken Token, TaskCompletionSource Done)> Drain()
    {
        var items = new List<(LockToken, TaskCompletionSource)>();
        while (pending.TryDequeue(out var item))
        {
            items.Add(item);
        }

        return items;
    }
}
