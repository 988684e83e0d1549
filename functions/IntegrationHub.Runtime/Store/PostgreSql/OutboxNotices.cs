namespace IntegrationHub.Runtime.Store.PostgreSql;

/// <summary>
/// Decides which of this instance's commits with outbox rows also notify the other instances
/// (<see cref="OutboxListener"/>): one every <see cref="Interval"/> at most. PostgreSQL holds one lock
/// per database from a notifying transaction's commit until its flush to disk is done, so commits that
/// notify go one flush after another instead of sharing flushes; with a notice in every step's commit
/// that lock set the pace of the whole store. Only commits that leave rows for any relay notify (rows
/// due at once are claimed for this instance's relay and handed to it, <see cref="RabbitMq.HandedOutbox"/>);
/// the rows of a commit that does not notify are found by this instance's own relay, woken in the
/// process (<see cref="RabbitMq.OutboxRelay"/>), and by the other instances' poll.
/// </summary>
internal sealed class OutboxNotices(TimeProvider time)
{
    /// <summary>The least time between two notifying commits of one instance.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    private long nextAt = long.MinValue;

    /// <summary>True when this commit is to notify: none has for <see cref="Interval"/> (one caller wins a race).</summary>
    public bool TakeTurn()
    {
        var now = time.GetUtcNow().UtcTicks;
        var next = Interlocked.Read(ref nextAt);
        return now >= next && Interlocked.CompareExchange(ref nextAt, now + Interval.Ticks, next) == next;
    }
}
