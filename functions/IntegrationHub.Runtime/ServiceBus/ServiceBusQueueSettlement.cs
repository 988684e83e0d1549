using Azure.Messaging.ServiceBus;
using IntegrationHub.Core.Messaging;
using IntegrationHub.Runtime.Queues;
using IntegrationHub.Runtime.RabbitMq;
using IntegrationHub.Runtime.Store;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Runtime.ServiceBus;

/// <summary>
/// Settles Service Bus messages by queue and lock token with the namespace's own dispositions: on the
/// link that received the message when this process did, otherwise through the queue's
/// <c>$management</c> node (what the SDK does for a token its link does not hold), so that any instance
/// settles any token while its lock lasts. A pull's token (<see cref="PullPrefix"/>) is taken from the
/// store first (<see cref="ServiceBusPulls"/>). What Service Bus lacks is built on top: an abandon with a
/// delay writes a copy carrying the deliveries so far to the outbox, due at once and scheduled by the
/// relay for the delay's end, with the message id's duplicate claim handed to it, in one write of the
/// store; only then is the message completed. A crash between the two leaves the message to come back
/// when its lock runs out, and then to be dropped as a duplicate of the copy: nothing lost, nothing twice.
/// </summary>
internal sealed class ServiceBusQueueSettlement(
    ServiceBusClients clients,
    ServiceBusLocks locks,
    IHubStore store,
    ServiceBusPulls pulls,
    OutboxRelay relay,
    QueueRegistry registry,
    IOptions<MessagingOptions> options,
    TimeProvider time,
    ILogger<ServiceBusQueueSettlement> logger) : IQueueSettlement
{
    /// <summary>Starts the lock token of a pull (<see cref="ServiceBusPuller"/>), before the namespace's token.</summary>
    public const string PullPrefix = "p-";

    public async Task<DateTimeOffset> RenewLockAsync(string queue, string lockToken, CancellationToken cancellationToken)
    {
        var (token, pulled) = await CheckAsync(queue, lockToken, cancellationToken);
        var renewed = await OnTargetAsync(queue, lockToken, token, async t =>
        {
            await t.Receiver.RenewMessageLockAsync(t.Message, cancellationToken);
            return t.Message;
        });
        if (pulled)
        {
            await pulls.RenewedAsync(queue, lockToken, renewed.LockedUntil, cancellationToken);
        }

        return renewed.LockedUntil;
    }

    public async Task CompleteAsync(string queue, string lockToken, CancellationToken cancellationToken)
    {
        var (token, pulled) = await CheckAsync(queue, lockToken, cancellationToken);
        if (pulled && await pulls.TakeAsync(queue, lockToken, cancellationToken) is null)
        {
            throw new MessageLockLostException(queue, lockToken);
        }

        await SettleAsync(queue, lockToken, token, t => t.Receiver.CompleteMessageAsync(t.Message, cancellationToken));
    }

    public async Task AbandonAsync(string queue, string lockToken, TimeSpan? delay, CancellationToken cancellationToken)
    {
        var (token, pulled) = await CheckAsync(queue, lockToken, cancellationToken);
        var wait = delay is { } d && d > TimeSpan.Zero ? d : TimeSpan.Zero;
        var held = locks.TryGet(token, out var local) ? local : null;
        if (!pulled && held is null)
        {
            // Another instance's function lock: without the message, only the namespace's abandon is possible.
            await SettleAsync(queue, lockToken, token, t => t.Receiver.AbandonMessageAsync(t.Message, cancellationToken: cancellationToken));
            return;
        }

        if (!pulled && held!.Message.LockedUntil <= time.GetUtcNow())
        {
            locks.Forget(token);
            throw new MessageLockLostException(queue, lockToken);
        }

        // The store is written only for a pull (its row) or a delay (the copy); a plain abandon of this process's lock needs none.
        var deadLetters = QueueNames.IsDeadLetter(queue);
        (int Deliveries, bool Delayed) outcome = pulled || (wait > TimeSpan.Zero && !deadLetters && held!.Read.DeliveryCount < options.Value.MaxDeliveryCount)
            ? await store.WriteAsync((connection, ct) => DecideAsync(connection, queue, lockToken, pulled, held, wait, ct), cancellationToken)
                ?? throw new MessageLockLostException(queue, lockToken)
            : (held!.Read.DeliveryCount, false);
        if (!deadLetters && outcome.Deliveries >= options.Value.MaxDeliveryCount)
        {
            await DeadLetterOnAsync(queue, lockToken, token, DeadLetterReasons.MaxDeliveryCountExceeded,
                $"Delivered {outcome.Deliveries} times; the queue allows {options.Value.MaxDeliveryCount}.", cancellationToken);
        }
        else if (outcome.Delayed)
        {
            relay.Notify();
            await CompleteDelayedAsync(queue, lockToken, token, cancellationToken);
        }
        else
        {
            await SettleAsync(queue, lockToken, token, t => t.Receiver.AbandonMessageAsync(t.Message, cancellationToken: cancellationToken));
        }
    }

    public async Task DeadLetterAsync(string queue, string lockToken, string reason, string? description, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        if (QueueNames.IsDeadLetter(queue))
        {
            throw new InvalidOperationException($"The message is already in the dead-letter queue '{queue}'.");
        }

        var (token, pulled) = await CheckAsync(queue, lockToken, cancellationToken);
        if (pulled && await pulls.TakeAsync(queue, lockToken, cancellationToken) is null)
        {
            throw new MessageLockLostException(queue, lockToken);
        }

        await DeadLetterOnAsync(queue, lockToken, token, reason, description, cancellationToken);
    }

    /// <summary>The namespace's token in a hub lock token, and whether it is a pull's; a token that names none has lost its lock.</summary>
    private async Task<(Guid Token, bool Pulled)> CheckAsync(string queue, string lockToken, CancellationToken cancellationToken)
    {
        await registry.EnsureKnownAsync(queue, cancellationToken);
        var pulled = lockToken.StartsWith(PullPrefix, StringComparison.Ordinal);
        return Guid.TryParse(pulled ? lockToken[PullPrefix.Length..] : lockToken, out var token) && token != Guid.Empty
            ? (token, pulled)
            : throw new MessageLockLostException(queue, lockToken);
    }

    /// <summary>
    /// In one write of the store: the pull's row taken (null when it is gone), and, for a delay of a
    /// message with deliveries left, its copy written to the outbox with the duplicate claim handed to it.
    /// </summary>
    private async Task<(int Deliveries, bool Delayed)?> DecideAsync(System.Data.Common.DbConnection connection, string queue, string lockToken, bool pulled, ServiceBusLocks.Held? held, TimeSpan wait, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        OutgoingMessage message;
        int deliveries;
        if (pulled)
        {
            if (await ServiceBusPulls.TakeAsync(connection, queue, lockToken, now, cancellationToken) is not { } row)
            {
                return null;
            }

            (message, deliveries) = (row.Message, row.Deliveries);
        }
        else
        {
            (message, deliveries) = (held!.Read.AsOutgoing(), held.Read.DeliveryCount);
        }

        if (wait == TimeSpan.Zero || deliveries >= options.Value.MaxDeliveryCount || QueueNames.IsDeadLetter(queue))
        {
            return (deliveries, false);
        }

        var copy = RabbitMqMessages.NewCopyId();
        await OutboxRows.HandOverClaimAsync(connection, queue, message.MessageId, copy, now + options.Value.DuplicateDetectionWindow, cancellationToken);
        await OutboxRows.InsertAsync(connection, new OutboxEntry(queue, ServiceBusMessages.ScheduledFor(message, now + wait), copy, deliveries, now), cancellationToken);
        return (deliveries, true);
    }

    /// <summary>Completes a message whose delayed copy is in the outbox; a lock lost meanwhile brings it back, to be dropped as that copy's duplicate.</summary>
    private async Task CompleteDelayedAsync(string queue, string lockToken, Guid token, CancellationToken cancellationToken)
    {
        try
        {
            await SettleAsync(queue, lockToken, token, t => t.Receiver.CompleteMessageAsync(t.Message, cancellationToken));
        }
        catch (MessageLockLostException ex)
        {
            Log.ServiceBusDelayedAfterLockLost(logger, queue, ex);
        }
    }

    private Task DeadLetterOnAsync(string queue, string lockToken, Guid token, string reason, string? description, CancellationToken cancellationToken) =>
        SettleAsync(queue, lockToken, token, t => t.Receiver.DeadLetterMessageAsync(t.Message, ServiceBusMessages.DeadLettered(null, time.GetUtcNow()), reason, description, cancellationToken));

    /// <summary>Settles through the receiver that holds the lock, or the queue's settling receiver; the lock is forgotten either way it ends.</summary>
    private async Task SettleAsync(string queue, string lockToken, Guid token, Func<(ServiceBusReceiver Receiver, ServiceBusReceivedMessage Message), Task> settle)
    {
        try
        {
            await OnTargetAsync(queue, lockToken, token, async t =>
            {
                await settle(t);
                return true;
            });
        }
        catch (MessageLockLostException)
        {
            locks.Forget(token);
            throw;
        }

        locks.Forget(token);
    }

    /// <summary>
    /// Runs <paramref name="call"/> with the receiver and message to settle a token with: the ones that
    /// received it, while that receiver is open and not closing (the call then counts as in flight on
    /// it, and closing it waits for the call: see <see cref="ServiceBusClients.CloseReceiverAsync"/>);
    /// otherwise the queue's settling receiver and a message standing for the token (the SDK needs only
    /// its lock token, and settles it through <c>$management</c>).
    /// </summary>
    private async Task<T> OnTargetAsync<T>(string queue, string lockToken, Guid token, Func<(ServiceBusReceiver Receiver, ServiceBusReceivedMessage Message), Task<T>> call)
    {
        var known = locks.TryGet(token, out var held);
        if (known && clients.TryUse(held.Receiver))
        {
            try
            {
                return await ServiceBusErrors.Refusing(queue, lockToken, () => call((held.Receiver, held.Message)));
            }
            finally
            {
                clients.Release(held.Receiver);
            }
        }

        var standIn = known ? held.Message : ServiceBusModelFactory.ServiceBusReceivedMessage(lockTokenGuid: token);
        return await ServiceBusErrors.Refusing(queue, lockToken, () => call((clients.Settler(queue), standIn)));
    }
}
