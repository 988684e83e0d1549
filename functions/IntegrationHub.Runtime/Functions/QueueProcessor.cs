using IntegrationHub.Core.Messaging;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Runtime.Functions;

/// <summary>
/// Drives one queue function: receives in batches up to its free capacity (concurrency plus
/// prefetch), runs up to <see cref="ProcessorSettings.Concurrency"/> functions at once, renews their
/// locks while they run, and settles each: complete, abandon with the retry delay, or dead-letter. A
/// message being settled has left its call slot (the next function starts meanwhile) but keeps its
/// place in the capacity until it is settled.
/// Stopping stops receiving, returns what was received but not started, lets running messages
/// finish, and cancels them when the host's shutdown time is up (they are then abandoned).
/// </summary>
internal sealed class QueueProcessor(
    QueueFunctionRegistration registration,
    ProcessorSettings settings,
    QueuePorts queues,
    IServiceProvider services,
    TimeProvider time,
    RuntimeMetrics metrics,
    ILogger logger)
{
    private static readonly TimeSpan ReceiveWait = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan FailureBackoff = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan RenewalInterval = TimeSpan.FromSeconds(1);

    private readonly CancellationTokenSource receiving = new();
    private readonly CancellationTokenSource running = new();
    private readonly TaskCompletionSource consumerStopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int abandonedAtStop;
    private Task pump = Task.CompletedTask;

    public string Name => registration.Name;

    public void Start() => pump = Task.Run(RunAsync);

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await receiving.CancelAsync();
        try
        {
            await pump.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Out of shutdown time: cancel the running functions; each is abandoned as it stops.
            await running.CancelAsync();
            await pump;
        }

        Log.FunctionStopped(logger, Name, abandonedAtStop, registration.Queue);
    }

    private async Task RunAsync()
    {
        registration.Invoker.Prepare();
        if (!await DeclareQueueAsync())
        {
            return;
        }

        queues.Control.SetPrefetch(registration.Queue, settings.Concurrency + settings.Prefetch);
        Log.FunctionStarted(logger, Name, registration.Queue, settings.Concurrency, settings.Prefetch, settings.AutoComplete);
        var renewals = new LockRenewals(Name, settings, queues.Settlement, time, logger, running.Token);
        var runner = new QueueMessageRunner(registration, settings, queues.Settlement, renewals, services, time, metrics, logger);
        using var renewing = time.CreateTimer(_ => renewals.RenewDue(), null, RenewalInterval, RenewalInterval);
        using var slots = new SemaphoreSlim(settings.Concurrency + settings.Prefetch);
        var dispatcher = new MessageDispatcher(settings.Concurrency, message => RunOneAsync(runner, message), () => slots.Release());
        await ReceiveAsync(dispatcher, slots);
        await StopConsumerAsync();
        await dispatcher.DrainedAsync();
    }

    private Task<Task> RunOneAsync(QueueMessageRunner runner, ReceivedMessage message) =>
        receiving.IsCancellationRequested ? ReturnAtStopAsync(runner, message) : runner.RunAsync(message, running.Token);

    private async Task<Task> ReturnAtStopAsync(QueueMessageRunner runner, ReceivedMessage message)
    {
        await consumerStopped.Task;
        Interlocked.Increment(ref abandonedAtStop);
        return runner.ReturnAsync(message);
    }

    private async Task StopConsumerAsync()
    {
        try
        {
            await queues.Control.StopReceivingAsync(registration.Queue, CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The broker is gone: its connection's end returns the messages anyway.
            Log.ReceiveFailed(logger, registration.Queue, Name, ex);
        }
        finally
        {
            consumerStopped.TrySetResult();
        }
    }

    private async Task<bool> DeclareQueueAsync()
    {
        while (!receiving.IsCancellationRequested)
        {
            try
            {
                await queues.Admin.EnsureQueueAsync(registration.Queue, receiving.Token);
                return true;
            }
            catch (OperationCanceledException) when (receiving.IsCancellationRequested)
            {
                return false;
            }
            catch (Exception ex) when (ex is not ArgumentException)
            {
                // The broker or the database is not reachable yet: keep trying until stopped.
                Log.ReceiveFailed(logger, registration.Queue, Name, ex);
                await PauseAsync();
            }
        }

        return false;
    }

    private async Task ReceiveAsync(MessageDispatcher dispatcher, SemaphoreSlim slots)
    {
        while (!receiving.IsCancellationRequested)
        {
            try
            {
                await slots.WaitAsync(receiving.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var count = 1;
            while (slots.Wait(0))
            {
                count++;
            }

            var messages = await TryReceiveAsync(count);
            if (count > messages.Count)
            {
                slots.Release(count - messages.Count);
            }

            foreach (var message in messages)
            {
                dispatcher.Enqueue(message);
            }
        }
    }

    private async Task<IReadOnlyList<ReceivedMessage>> TryReceiveAsync(int count)
    {
        try
        {
            return await queues.Receiver.ReceiveAsync(registration.Queue, count, ReceiveWait, receiving.Token);
        }
        catch (OperationCanceledException) when (receiving.IsCancellationRequested)
        {
            return [];
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Whatever the transport throws (broker gone, database busy), the loop must go on.
            Log.ReceiveFailed(logger, registration.Queue, Name, ex);
            await PauseAsync();
            return [];
        }
    }

    private async Task PauseAsync()
    {
        try
        {
            await Task.Delay(FailureBackoff, time, receiving.Token);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }
}
