using System.Collections.Concurrent;
using IntegrationHub.Core.Messaging;
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
    private readonly ConcurrentDictionary<ReceivedMessage, InFlight> processing = new(ReferenceEqualityComparer.Instance);
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
        using var renewals = time.CreateTimer(_ => RenewLocks(), null, RenewalInterval, RenewalInterval);
        using var slots = new SemaphoreSlim(settings.Concurrency + settings.Prefetch);
        var dispatcher = new Dispatcher(settings.Concurrency, RunOneAsync, () => slots.Release());
        await ReceiveAsync(dispatcher, slots);
        await StopConsumerAsync();
        await dispatcher.DrainedAsync();
    }

    private Task RunOneAsync(ReceivedMessage message) => receiving.IsCancellationRequested ? ReturnAtStopAsync(message) : ProcessAsync(message);

    private async Task ReturnAtStopAsync(ReceivedMessage message)
    {
        await consumerStopped.Task;
        Interlocked.Increment(ref abandonedAtStop);
        await SettleAsync(message, () => queues.Settlement.AbandonAsync(message.Queue, message.LockToken, null, CancellationToken.None));
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

    private async Task ReceiveAsync(Dispatcher dispatcher, SemaphoreSlim slots)
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

    private async Task ProcessAsync(ReceivedMessage message)
    {
        var context = new QueueFunctionContext(Name, message, queues.Settlement);
        var inFlight = new InFlight(context, time.GetUtcNow());
        processing[message] = inFlight;
        using var activity = RuntimeTelemetry.StartProcessing(Name, message);
        var started = time.GetTimestamp();
        try
        {
            var refused = await registration.Invoker.InvokeAsync(services, message, context, running.Token);
            if (refused is { } why)
            {
                RuntimeTelemetry.Failed(activity, why.Reason);
                await DeadLetterAsync(context, why.Reason, why.Description, null);
                return;
            }

            metrics.Processed(Name, time.GetElapsedTime(started));
            if (settings.AutoComplete && !context.IsSettled)
            {
                await SettleAsync(message, () => queues.Settlement.CompleteAsync(message.Queue, message.LockToken, CancellationToken.None));
            }
        }
        catch (Exception ex)
        {
            // Whatever the function throws is a failed delivery: retried or dead-lettered, never acknowledged.
            RuntimeTelemetry.Failed(activity, ex.GetType().Name);
            metrics.Failed(Name, time.GetElapsedTime(started));
            await FailedAsync(context, ex);
        }
        finally
        {
            processing.TryRemove(message, out _);
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
            await SettleAsync(message, () => queues.Settlement.AbandonAsync(message.Queue, message.LockToken, null, CancellationToken.None));
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
        await SettleAsync(message, () => queues.Settlement.AbandonAsync(message.Queue, message.LockToken, delay > TimeSpan.Zero ? delay : null, CancellationToken.None));
    }

    private async Task DeadLetterAsync(QueueFunctionContext context, string reason, string description, Exception? error)
    {
        Log.FunctionDeadLettered(logger, Name, context.MessageId, context.DeliveryCount, reason, error);
        metrics.DeadLettered(Name, reason);
        await SettleAsync(context.Message, () => queues.Settlement.DeadLetterAsync(context.Queue, context.Message.LockToken, reason, description, CancellationToken.None));
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

    /// <summary>
    /// Renews, once a second at most, the lock of every message still being processed that is past
    /// half of its lock, until <see cref="ProcessorSettings.MaxLockRenewal"/> after it was received.
    /// </summary>
    private void RenewLocks()
    {
        var now = time.GetUtcNow();
        foreach (var inFlight in processing.Values)
        {
            var context = inFlight.Context;
            var halfway = context.LockedUntilUtc - ((context.LockedUntilUtc - inFlight.LockedAt) / 2);
            if (now >= halfway && now < inFlight.ReceivedAt + settings.MaxLockRenewal && !context.IsSettled && inFlight.TryStartRenewal())
            {
                _ = RenewAsync(inFlight);
            }
        }
    }

    private async Task RenewAsync(InFlight inFlight)
    {
        var context = inFlight.Context;
        try
        {
            var lockedAt = time.GetUtcNow();
            context.LockedUntilUtc = await queues.Settlement.RenewLockAsync(context.Queue, context.Message.LockToken, running.Token);
            inFlight.LockedAt = lockedAt;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !running.IsCancellationRequested)
        {
            // The lock is lost (the message will come again) or the transport is down: the run goes on.
            Log.RenewFailed(logger, context.MessageId, Name, ex);
        }
        catch (OperationCanceledException)
        {
            // Shutting down.
        }
        finally
        {
            inFlight.EndRenewal();
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

    /// <summary>A message being processed: when it was received, when its lock was last taken, whether a renewal is under way.</summary>
    private sealed class InFlight(QueueFunctionContext context, DateTimeOffset receivedAt)
    {
        private int renewing;

        public QueueFunctionContext Context { get; } = context;

        public DateTimeOffset ReceivedAt { get; } = receivedAt;

        public DateTimeOffset LockedAt { get; set; } = receivedAt;

        public bool TryStartRenewal() => Interlocked.Exchange(ref renewing, 1) == 0;

        public void EndRenewal() => Volatile.Write(ref renewing, 0);
    }

    /// <summary>
    /// Runs received messages in receive order, at most <c>concurrency</c> at once. A message starts on
    /// the thread that received it or that finished the one before, so that a function that completes
    /// without waiting costs no switch between threads; one that waits frees the thread for the next.
    /// </summary>
    private sealed class Dispatcher(int concurrency, Func<ReceivedMessage, Task> run, Action finished)
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
}
