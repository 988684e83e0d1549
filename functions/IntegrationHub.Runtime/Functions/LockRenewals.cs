using System.Collections.Concurrent;
using IntegrationHub.Core.Messaging;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Runtime.Functions;

/// <summary>
/// The messages a queue function is running, and the renewal of their locks: once a second at most,
/// each message past half of its lock is renewed, until <see cref="ProcessorSettings.MaxLockRenewal"/>
/// after it was received.
/// </summary>
internal sealed class LockRenewals(string function, ProcessorSettings settings, IQueueSettlement settlement, TimeProvider time, ILogger logger, CancellationToken running)
{
    private readonly ConcurrentDictionary<ReceivedMessage, InFlight> processing = new(ReferenceEqualityComparer.Instance);

    public void Running(QueueFunctionContext context) => processing[context.Message] = new InFlight(context, time.GetUtcNow());

    public void Done(ReceivedMessage message) => processing.TryRemove(message, out _);

    public void RenewDue()
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
            context.LockedUntilUtc = await settlement.RenewLockAsync(context.Queue, context.Message.LockToken, running);
            inFlight.LockedAt = lockedAt;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !running.IsCancellationRequested)
        {
            // The lock is lost (the message will come again) or the transport is down: the run goes on.
            Log.RenewFailed(logger, context.MessageId, function, ex);
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
}
