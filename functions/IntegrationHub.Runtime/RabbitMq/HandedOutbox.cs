using System.Collections.Concurrent;

namespace IntegrationHub.Runtime.RabbitMq;

/// <summary>
/// Outbox rows that a hub transaction wrote already claimed for this instance (PostgreSQL: the rows due
/// at once carry a claim from their insert, in the commit's round trip), handed to the relay after the
/// commit so that it publishes them without claiming them first: no claim statement and no rewrite of
/// each row to mark it claimed. The claim is what keeps the other instances' relays off them; should
/// this instance stop before publishing them, it runs out and any relay publishes them (at least once,
/// as for every claimed row). A row whose claim is about to run out is left to that path instead of
/// being published here while another relay may take it. At most <see cref="Capacity"/> rows wait:
/// beyond that (a broker that is down), rows are written unclaimed and wait in the outbox alone.
/// </summary>
internal sealed class HandedOutbox(TimeProvider time)
{
    /// <summary>The most rows waiting in the process to be published.</summary>
    public const int Capacity = 4096;

    /// <summary>A row is published from here only while its claim has at least this much time left.</summary>
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(3);

    private readonly ConcurrentQueue<(OutboxMessage Row, DateTimeOffset ClaimedUntil)> rows = new();
    private int count;
    private volatile bool open;

    /// <summary>
    /// Whether a commit may claim its due rows for this instance now: a relay runs and publishes from
    /// here, and fewer than <see cref="Capacity"/> rows wait.
    /// </summary>
    public bool Accepts => open && Volatile.Read(ref count) < Capacity;

    /// <summary>The relay starts (true) or stops (false) publishing from here.</summary>
    public void SetOpen(bool value) => open = value;

    /// <summary>Rows committed with a claim until <paramref name="claimedUntil"/>.</summary>
    public void Add(IReadOnlyList<OutboxMessage> committed, DateTimeOffset claimedUntil)
    {
        // Counted before they are queued, so that the count never falls below what waits.
        Interlocked.Add(ref count, committed.Count);
        foreach (var row in committed)
        {
            rows.Enqueue((row, claimedUntil));
        }
    }

    /// <summary>Up to <paramref name="max"/> rows to publish now; rows whose claim is about to run out are dropped from here.</summary>
    public List<OutboxMessage> Take(int max)
    {
        var taken = new List<OutboxMessage>(Math.Clamp(Volatile.Read(ref count), 0, max));
        var latest = time.GetUtcNow() + Margin;
        while (taken.Count < max && rows.TryDequeue(out var handed))
        {
            Interlocked.Decrement(ref count);
            if (handed.ClaimedUntil > latest)
            {
                taken.Add(handed.Row);
            }
        }

        return taken;
    }
}
