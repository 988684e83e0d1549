namespace IntegrationHub.Runtime.RabbitMq;

/// <summary>
/// The unsettled deliveries of one channel, so that acknowledgements can be coalesced: a completed
/// delivery is acknowledged with every other completed one up to it, in one <c>basic.ack</c> with
/// <c>multiple</c>, as soon as all lower ones are settled; while a lower one is still running, up to
/// <see cref="MaxWaiting"/> completed deliveries wait for it, and beyond that they are acknowledged
/// one by one, so that a slow message never holds more than that much of the prefetch.
/// Each call is atomic: the consumer records deliveries while settlements plan acknowledgements.
/// </summary>
internal sealed class AckLedger
{
    public const int MaxWaiting = 16;

    private readonly Lock gate = new();
    private readonly SortedSet<ulong> unsettled = [];
    private readonly HashSet<ulong> completed = [];

    public void Delivered(ulong tag)
    {
        lock (gate)
        {
            unsettled.Add(tag);
        }
    }

    /// <summary>The delivery is done with: what to acknowledge now.</summary>
    public AckPlan Complete(ulong tag)
    {
        lock (gate)
        {
            completed.Add(tag);
            var plan = Prefix();
            return plan.UpTo == 0 && completed.Count > MaxWaiting ? new AckPlan(0, DrainCompleted()) : plan;
        }
    }

    /// <summary>The delivery went back to the broker (a nack, already sent): what that releases.</summary>
    public AckPlan Returned(ulong tag)
    {
        lock (gate)
        {
            unsettled.Remove(tag);
            completed.Remove(tag);
            return Prefix();
        }
    }

    /// <summary>Every completed delivery, to acknowledge one by one (before the channel closes).</summary>
    public AckPlan Drain()
    {
        lock (gate)
        {
            return new AckPlan(0, DrainCompleted());
        }
    }

    /// <summary>The channel is gone, and its deliveries with it.</summary>
    public void Reset()
    {
        lock (gate)
        {
            unsettled.Clear();
            completed.Clear();
        }
    }

    private List<ulong> DrainCompleted()
    {
        var singles = completed.Order().ToList();
        foreach (var tag in singles)
        {
            unsettled.Remove(tag);
        }

        completed.Clear();
        return singles;
    }

    private AckPlan Prefix()
    {
        ulong upTo = 0;
        while (unsettled.Count > 0 && completed.Remove(unsettled.Min))
        {
            upTo = unsettled.Min;
            unsettled.Remove(upTo);
        }

        return new AckPlan(upTo, []);
    }
}

/// <summary>What to send: one acknowledgement of every delivery up to <see cref="UpTo"/> (none when 0), and some on their own.</summary>
internal readonly record struct AckPlan(ulong UpTo, IReadOnlyList<ulong> Singles)
{
    public async ValueTask SendAsync(RabbitMQ.Client.IChannel channel)
    {
        if (UpTo != 0)
        {
            await channel.BasicAckAsync(UpTo, multiple: true);
        }

        foreach (var tag in Singles)
        {
            await channel.BasicAckAsync(tag, multiple: false);
        }
    }
}
