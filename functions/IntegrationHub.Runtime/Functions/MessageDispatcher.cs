using System.Threading.Channels;
using IntegrationHub.Core.Messaging;

namespace IntegrationHub.Runtime.Functions;

/// <summary>
/// Runs received messages in receive order, at most <c>concurrency</c> at once: the receive loop
/// writes them to a channel that <c>concurrency</c> workers read. Continuations run synchronously, so
/// that a message starts on the thread that received it, or finished the one before, as long as a
/// worker is waiting: a function that completes without waiting costs no switch between threads.
/// </summary>
internal sealed class MessageDispatcher
{
    private readonly Channel<ReceivedMessage> waiting = Channel.CreateUnbounded<ReceivedMessage>(
        new UnboundedChannelOptions { SingleWriter = true, AllowSynchronousContinuations = true });

    private readonly Task[] workers;

    public MessageDispatcher(int concurrency, Func<ReceivedMessage, Task> run, Action finished)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(concurrency, 1);
        workers = [.. Enumerable.Range(0, concurrency).Select(_ => WorkAsync(run, finished))];
    }

    public void Enqueue(ReceivedMessage message)
    {
        // Unbounded: only fails once completed, which happens after the last Enqueue.
        _ = waiting.Writer.TryWrite(message);
    }

    /// <summary>Completes once everything enqueued has run (call after the last <see cref="Enqueue"/>).</summary>
    public Task DrainedAsync()
    {
        waiting.Writer.TryComplete();
        return Task.WhenAll(workers);
    }

    private async Task WorkAsync(Func<ReceivedMessage, Task> run, Action finished)
    {
        await foreach (var message in waiting.Reader.ReadAllAsync())
        {
            try
            {
                await run(message);
            }
            finally
            {
                finished();
            }
        }
    }
}
