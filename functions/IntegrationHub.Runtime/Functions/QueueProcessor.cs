using System.Diagnostics;
using System.Threading.Channels;
using IntegrationHub.Core.Messaging;
using IntegrationHub.Runtime.Queues;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Runtime.Functions;

/// <summary>How one queue function is bound: host.json's settings with the function's overrides applied.</summary>
internal sealed record ProcessorSettings(int Concurrency, int Prefetch, bool AutoComplete, TimeSpan MaxLockRenewal, RetryPolicy Retry);

/// <summary>
/// Drives one queue function: receives in batches up to its free capacity (concurrency plus
/// prefetch), runs up to <see cref="ProcessorSettings.Concurrency"/> messages at once, renews their
/// locks while they run, and settles each: complete, abandon with the retry delay, or dead-letter.
/// Stopping stops receiving, returns what was received but not started, lets running messages
/// finish, and cancels them when the host's shutdown time is up (they are then abandoned).
/// </summary>
internal sealed class QueueProcessor(
    QueueFunctionRegistration registration,
    ProcessorSettings settings,
    IQueueClient client,
    IQueueAdmin admin,
    IServiceProvider services,
    TimeProvider time,
    RuntimeMetrics metrics,
    ILogger logger)
{
    private static readonly TimeSpan ReceiveWait = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan FailureBackoff = TimeSpan.FromSeconds(1);

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
        if (!await DeclareQueueAsync())
        {
            return;
        }

        (client as IReceiverControl)?.SetPrefetch(registration.Queue, settings.Concurrency + settings.Prefetch);
        Log.FunctionStarted(logger, Name, registration.Queue, settings.Concurrency, settings.Prefetch, settings.AutoComplete);
        var buffer = Channel.CreateUnbounded<ReceivedMessage>(new UnboundedChannelOptions { SingleWriter = true });
        using var slots = new SemaphoreSlim(settings.Concurrency + settings.Prefetch);
        var workers = Enumerable.Range(0, settings.Concurrency).Select(_ => Task.Run(() => WorkAsync(buffer.Reader, slots))).ToArray();
        await ReceiveAsync(buffer.Writer, slots);
        await StopConsumerAsync();
        buffer.Writer.Complete();
        await Task.WhenAll(workers);
    }

    private async Task StopConsumerAsync()
    {
        try
        {
            if (client is IReceiverControl control)
            {
                await control.StopReceivingAsync(registration.Queue, CancellationToken.None);
            }
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
                await admin.EnsureQueueAsync(registration.Queue, receiving.Token);
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

    private async Task ReceiveAsync(ChannelWriter<ReceivedMessage> buffer, SemaphoreSlim slots)
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
                buffer.TryWrite(message);
            }
        }
    }

    private async Task<IReadOnlyList<ReceivedMessage>> TryReceiveAsync(int count)
    {
        try
        {
            return await client.ReceiveAsync(registration.Queue, count, ReceiveWait, receiving.Token);
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

    private async Task WorkAsync(ChannelReader<ReceivedMessage> buffer, SemaphoreSlim slots)
    {
        await foreach (var message in buffer.ReadAllAsync())
        {
            if (receiving.IsCancellationRequested)
            {
                await consumerStopped.Task;
                Interlocked.Increment(ref abandonedAtStop);
                await SettleAsync(message, () => client.AbandonAsync(message, null, CancellationToken.None));
            }
            else
            {
                await ProcessAsync(message);
            }

            slots.Release();
        }
    }

    private async Task ProcessAsync(ReceivedMessage message)
    {
        var context = new QueueFunctionContext(Name, message, client);
        using var renewing = CancellationTokenSource.CreateLinkedTokenSource(running.Token);
        var renewal = RenewLockAsync(message, renewing.Token);
        var started = time.GetTimestamp();
        try
        {
            var refused = await registration.Invoker.InvokeAsync(services, message, context, running.Token);
            if (refused is { } why)
            {
                await DeadLetterAsync(context, why.Reason, why.Description, null);
                return;
            }

            metrics.Processed(Name, time.GetElapsedTime(started));
            if (settings.AutoComplete && !context.IsSettled)
            {
                await SettleAsync(message, () => client.CompleteAsync(message, CancellationToken.None));
            }
        }
        catch (Exception ex)
        {
            // Whatever the function throws is a failed delivery: retried or dead-lettered, never acknowledged.
            metrics.Failed(Name, time.GetElapsedTime(started));
            await FailedAsync(context, ex);
        }
        finally
        {
            await renewing.CancelAsync();
            await renewal;
        }
    }

    private async Task FailedAsync(QueueFunctionContext context, Exception error)
    {
        var message = context.Message;
        if (context.IsSettled)
        {
            return;
        }

        if (error is OperationCanceledException && running.IsCancellationRequested)
        {
            await SettleAsync(message, () => client.AbandonAsync(message, null, CancellationToken.None));
            return;
        }

        if (message.DeliveryCount >= settings.Retry.AllowedDeliveries)
        {
            var description = $"Failed on delivery {message.DeliveryCount} of {settings.Retry.AllowedDeliveries}: {error.GetType().Name}: {error.Message}";
            await DeadLetterAsync(context, DeadLetterReasons.MaxDeliveryCountExceeded, description, error);
            return;
        }

        var delay = settings.Retry.DelayAfter(message.DeliveryCount);
        Log.FunctionFailedWillRetry(logger, Name, message.MessageId, message.DeliveryCount, delay, error);
        await SettleAsync(message, () => client.AbandonAsync(message, delay > TimeSpan.Zero ? delay : null, CancellationToken.None));
    }

    private async Task DeadLetterAsync(QueueFunctionContext context, string reason, string description, Exception? error)
    {
        Log.FunctionDeadLettered(logger, Name, context.MessageId, context.DeliveryCount, reason, error);
        metrics.DeadLettered(Name, reason);
        await SettleAsync(context.Message, () => client.DeadLetterAsync(context.Message, reason, description, CancellationToken.None));
    }

    private async Task SettleAsync(ReceivedMessage message, Func<Task> settle)
    {
        try
        {
            await settle();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A lost lock or an unreachable transport: the message is delivered again, and the
            // function's inbox keeps the second delivery from repeating its effect.
            Log.SettleFailed(logger, message.MessageId, Name, ex);
        }
    }

    private async Task RenewLockAsync(ReceivedMessage message, CancellationToken done)
    {
        var stopAt = time.GetUtcNow() + settings.MaxLockRenewal;
        var lockedUntil = message.LockedUntilUtc;
        try
        {
            while (time.GetUtcNow() < stopAt)
            {
                var halfway = (lockedUntil - time.GetUtcNow()) / 2;
                await Task.Delay(halfway > TimeSpan.Zero ? halfway : TimeSpan.Zero, time, done);
                lockedUntil = await client.RenewLockAsync(message, done);
            }
        }
        catch (OperationCanceledException) when (done.IsCancellationRequested)
        {
            // Processing ended; the lock is settled or left to expire.
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.RenewFailed(logger, message.MessageId, Name, ex);
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
