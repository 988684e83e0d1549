using System.Diagnostics;
using IntegrationHub.Core.Messaging;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Runtime.Functions;

/// <summary>
/// Runs a queue function on one message and settles it: completes it (unless the function did, or
/// auto-complete is off), dead-letters a body that is not its record, and turns a failure into a retry
/// after the policy's delay or, past the allowed deliveries, a dead letter. Never acknowledges a failure.
/// </summary>
internal sealed class QueueMessageRunner(
    QueueFunctionRegistration registration,
    ProcessorSettings settings,
    IQueueSettlement settlement,
    LockRenewals renewals,
    IServiceProvider services,
    TimeProvider time,
    RuntimeMetrics metrics,
    ILogger logger)
{
    private string Name => registration.Name;

    /// <summary>
    /// Runs the function on the message; the task completes when the function has returned, with the
    /// task of the message's settlement (a settlement that cannot be made is logged, and the message
    /// comes again when its lock runs out).
    /// </summary>
    public async Task<Task> RunAsync(ReceivedMessage message, CancellationToken running)
    {
        var context = new QueueFunctionContext(Name, message, settlement);
        renewals.Running(context);
        var activity = RuntimeTelemetry.StartProcessing(Name, message);
        var started = time.GetTimestamp();
        Task settled;
        try
        {
            var refused = await registration.Invoker.InvokeAsync(services, message, context, running);
            if (refused is { } why)
            {
                RuntimeTelemetry.Failed(activity, why.Reason);
                settled = DeadLetterAsync(context, why.Reason, why.Description, null);
            }
            else
            {
                metrics.Processed(Name, time.GetElapsedTime(started));
                settled = settings.AutoComplete && !context.IsSettled
                    ? SettleAsync(message, () => settlement.CompleteAsync(message.Queue, message.LockToken, CancellationToken.None))
                    : Task.CompletedTask;
            }
        }
        catch (Exception ex)
        {
            // Whatever the function throws is a failed delivery: retried or dead-lettered, never acknowledged.
            RuntimeTelemetry.Failed(activity, ex.GetType().Name);
            metrics.Failed(Name, time.GetElapsedTime(started));
            settled = FailedAsync(context, ex, running);
        }

        if (!settled.IsCompleted)
        {
            return EndedAsync(message, activity, settled);
        }

        End(message, activity);
        return settled;
    }

    /// <summary>The message is settled: its locks are no longer renewed, and its processing span ends.</summary>
    private void End(ReceivedMessage message, Activity? activity)
    {
        renewals.Done(message);
        activity?.Dispose();
    }

    private async Task EndedAsync(ReceivedMessage message, Activity? activity, Task settled)
    {
        try
        {
            await settled;
        }
        finally
        {
            End(message, activity);
        }
    }

    /// <summary>Returns a message to its queue as it is, to be delivered again (a message not run at shutdown).</summary>
    public Task ReturnAsync(ReceivedMessage message) =>
        SettleAsync(message, () => settlement.AbandonAsync(message.Queue, message.LockToken, null, CancellationToken.None));

    private async Task FailedAsync(QueueFunctionContext context, Exception error, CancellationToken running)
    {
        var message = context.Message;
        if (context.IsSettled)
        {
            return;
        }

        if (error is OperationCanceledException && running.IsCancellationRequested)
        {
            await ReturnAsync(message);
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
        await SettleAsync(message, () => settlement.AbandonAsync(message.Queue, message.LockToken, delay > TimeSpan.Zero ? delay : null, CancellationToken.None));
    }

    private async Task DeadLetterAsync(QueueFunctionContext context, string reason, string description, Exception? error)
    {
        Log.FunctionDeadLettered(logger, Name, context.MessageId, context.DeliveryCount, reason, error);
        metrics.DeadLettered(Name, reason);
        await SettleAsync(context.Message, () => settlement.DeadLetterAsync(context.Queue, context.Message.LockToken, reason, description, CancellationToken.None));
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
}
