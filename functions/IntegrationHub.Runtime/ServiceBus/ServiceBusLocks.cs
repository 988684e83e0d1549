using System.Collections.Concurrent;
using Azure.Messaging.ServiceBus;
using IntegrationHub.Core.Messaging;

namespace IntegrationHub.Runtime.ServiceBus;

/// <summary>
/// The peek-locks this process received and has not settled, by lock token: the SDK's message (to
/// settle it on the link that received it, the fast way) and the hub's view of it (its body and
/// deliveries, for a delayed abandon). The namespace keeps the lock; this is only what this process
/// knows of it, counted as the queue's locked messages. Entries whose lock ran out (by this process's
/// clock) are forgotten every few seconds.
/// </summary>
internal sealed class ServiceBusLocks : IDisposable
{
    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(5);
    private readonly ConcurrentDictionary<Guid, Held> held = new();
    private readonly TimeProvider time;
    private readonly ITimer sweeper;

    public ServiceBusLocks(TimeProvider time)
    {
        this.time = time;
        sweeper = time.CreateTimer(_ => Sweep(), null, SweepInterval, SweepInterval);
    }

    /// <summary>Keeps the lock; returns the message as the hub's receiver sees it, under <paramref name="lockToken"/>.</summary>
    public ReceivedMessage Add(string queue, ServiceBusReceiver receiver, ServiceBusReceivedMessage message, string lockToken, bool pulled)
    {
        var read = ServiceBusMessages.Read(queue, message, lockToken);
        held[Guid.Parse(message.LockToken)] = new Held(queue, receiver, message, read, pulled);
        return read;
    }

    public bool TryGet(Guid lockToken, out Held lockHeld) => held.TryGetValue(lockToken, out lockHeld!);

    public void Forget(Guid lockToken) => held.TryRemove(lockToken, out _);

    /// <summary>The locks of the queue's functions this process holds now (pulls are counted in the store, for every instance).</summary>
    public int CountLocked(string queue)
    {
        var now = time.GetUtcNow();
        return held.Values.Count(h => !h.Pulled && h.Queue == queue && h.Message.LockedUntil > now);
    }

    public void Dispose() => sweeper.Dispose();

    private void Sweep()
    {
        var now = time.GetUtcNow();
        foreach (var (token, lockHeld) in held)
        {
            if (lockHeld.Message.LockedUntil <= now)
            {
                held.TryRemove(token, out _);
            }
        }
    }

    /// <summary>A lock this process holds: its queue, the receiver that took it, the SDK's message, the hub's, and whether a puller holds it.</summary>
    internal sealed record Held(string Queue, ServiceBusReceiver Receiver, ServiceBusReceivedMessage Message, ReceivedMessage Read, bool Pulled);
}
