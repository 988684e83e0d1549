namespace IntegrationHub.ServiceBusDouble.Broker;

/// <summary>
/// One queue of the namespace with its dead-letter sub-queue: sends, scheduling, duplicate detection
/// and the clock work (lock expiry, scheduled enqueue, time to live), all measured by the double's
/// <see cref="TimeProvider"/>. Receiving and settlement are in DoubleQueue.Receiving.cs.
/// </summary>
internal sealed partial class DoubleQueue : IDisposable
{
    const string MaxDeliveryCountExceeded = "MaxDeliveryCountExceeded";
    const string TtlExpired = "TTLExpiredException";

    readonly object gate = new();
    readonly TimeProvider time;
    readonly ITimer timer;
    readonly DuplicateDetectionLog duplicates = new();
    DateTimeOffset armedFor = DateTimeOffset.MaxValue;
    DateTimeOffset nextDue = DateTimeOffset.MaxValue;
    long lastSequenceNumber;

    public DoubleQueue(string name, QueueSettings settings, TimeProvider time)
    {
        Name = name;
        Settings = settings;
        this.time = time;
        Main = new EntityStore(name, isDeadLetterQueue: false);
        DeadLetter = new EntityStore(name + "/$DeadLetterQueue", isDeadLetterQueue: true);
        CreatedAt = Now();
        UpdatedAt = CreatedAt;
        timer = time.CreateTimer(_ => OnTimer(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public string Name { get; }

    public QueueSettings Settings { get; private set; }

    public DateTimeOffset CreatedAt { get; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public EntityStore Main { get; }

    public EntityStore DeadLetter { get; }

    public EntityStore Entity(bool deadLetterQueue) => deadLetterQueue ? DeadLetter : Main;

    public void Update(QueueSettings settings)
    {
        lock (gate)
        {
            Settings = settings;
            UpdatedAt = Now();

            // Another default time to live can bring expiries forward: sweep in full until the timer
            // has worked out the next instant again.
            nextDue = DateTimeOffset.MinValue;
        }

        Reschedule();
    }

    /// <summary>Enqueues each message of a transfer (scheduled ones wait for their time).</summary>
    public void Send(IReadOnlyList<byte[]> encodedMessages)
    {
        lock (gate)
        {
            DateTimeOffset now = Now();
            foreach (byte[] encoded in encodedMessages)
            {
                Accept(encoded, MessageCodec.Read(encoded), now, scheduleAt: null);
            }
        }

        Pump();
    }

    /// <summary>The <c>schedule-message</c> operation: a sequence number per message, duplicates included.</summary>
    public long[] Schedule(IReadOnlyList<byte[]> encodedMessages)
    {
        var sequenceNumbers = new long[encodedMessages.Count];
        lock (gate)
        {
            DateTimeOffset now = Now();
            for (int i = 0; i < encodedMessages.Count; i++)
            {
                IncomingMessageInfo info = MessageCodec.Read(encodedMessages[i]);
                sequenceNumbers[i] = Accept(encodedMessages[i], info, now, info.ScheduledEnqueueTime ?? now);
            }
        }

        Pump();
        return sequenceNumbers;
    }

    /// <summary>Cancels scheduled messages; answers the sequence numbers that named none.</summary>
    public IReadOnlyList<long> CancelScheduled(IEnumerable<long> sequenceNumbers)
    {
        lock (gate)
        {
            Sweep(Now());
            var missing = new List<long>();
            foreach (long sequenceNumber in sequenceNumbers)
            {
                StoredMessage? message = Main.Find(sequenceNumber);
                if (message?.State == MessageState.Scheduled)
                {
                    Main.Remove(message);
                }
                else
                {
                    missing.Add(sequenceNumber);
                }
            }

            return missing;
        }
    }

    public QueueCounts Counts()
    {
        lock (gate)
        {
            Sweep(Now());
            long active = Main.InState(MessageState.Active).LongCount();
            long scheduled = Main.InState(MessageState.Scheduled).LongCount();
            long size = Main.All.Concat(DeadLetter.All).Sum(m => (long)m.Encoded.Length);
            return new QueueCounts(active, DeadLetter.Count, scheduled, Main.Count + DeadLetter.Count, size);
        }
    }

    public void Dispose() => timer.Dispose();

    public QueueSnapshot Export()
    {
        lock (gate)
        {
            IEnumerable<MessageSnapshot> Of(EntityStore entity) => entity.All.Select(m =>
                new MessageSnapshot(entity.IsDeadLetterQueue, m.Encoded, m.SequenceNumber, m.EnqueuedTime, m.State, m.Deliveries, m.ScheduledAt));
            return new QueueSnapshot(Name, Settings, lastSequenceNumber, [.. Of(Main), .. Of(DeadLetter)]);
        }
    }

    public void Import(QueueSnapshot snapshot)
    {
        lock (gate)
        {
            lastSequenceNumber = Math.Max(lastSequenceNumber, snapshot.LastSequenceNumber);
            foreach (MessageSnapshot m in snapshot.Messages)
            {
                var message = new StoredMessage(m.Encoded, MessageCodec.Read(m.Encoded), m.SequenceNumber)
                {
                    EnqueuedTime = m.EnqueuedTime,
                    State = m.State,
                    Deliveries = m.Deliveries,
                    ScheduledAt = m.ScheduledAt,
                };
                Entity(m.DeadLetterQueue).Add(message);
                NoteDue(message);
            }
        }

        Reschedule();
    }

    /// <summary>
    /// Takes a message in. A duplicate within the window is dropped but still numbered, as a namespace
    /// answers a duplicate <c>schedule-message</c> with a sequence number (Azure/azure-service-bus#265).
    /// </summary>
    long Accept(byte[] encoded, IncomingMessageInfo info, DateTimeOffset now, DateTimeOffset? scheduleAt)
    {
        long sequenceNumber = ++lastSequenceNumber;
        if (Settings.RequiresDuplicateDetection &&
            duplicates.IsDuplicate(info.MessageId, now, Settings.DuplicateDetectionHistoryTimeWindow))
        {
            return sequenceNumber;
        }

        DateTimeOffset? at = scheduleAt ?? info.ScheduledEnqueueTime;
        var message = new StoredMessage(encoded, info, sequenceNumber) { EnqueuedTime = now };
        if (at > now)
        {
            message.State = MessageState.Scheduled;
            message.ScheduledAt = at;
            Due(at.Value);
        }
        else
        {
            Due(message.ExpiresAt(Settings.DefaultMessageTimeToLive));
        }

        Main.Add(message);
        return sequenceNumber;
    }

    /// <summary>Applies everything the clock has made due: expired locks, scheduled messages, expired messages.</summary>
    void Sweep(DateTimeOffset now)
    {
        // Nothing falls due before nextDue (it is only ever lowered between timer runs), so most
        // calls return here and a long queue is not scanned on every delivery.
        if (now < nextDue)
        {
            return;
        }

        foreach (EntityStore entity in (EntityStore[])[Main, DeadLetter])
        {
            foreach (StoredMessage message in entity.ExpiredLocks(now))
            {
                entity.Unlock(message);
                AfterLockReleased(entity, message);
            }
        }

        // "As the message transitions to the active state, the message is appended to the queue as if
        // it had been enqueued at the current instant, which includes assigning a new SequenceNumber"
        // (docs: service-bus-messaging/message-sequencing.md).
        foreach (StoredMessage message in Main.InState(MessageState.Scheduled).Where(m => m.ScheduledAt <= now).ToList())
        {
            message.State = MessageState.Active;
            message.EnqueuedTime = now;
            Main.Renumber(message, ++lastSequenceNumber);
            Due(message.ExpiresAt(Settings.DefaultMessageTimeToLive));
        }

        foreach (StoredMessage message in Main.InState(MessageState.Active).Where(m => !m.IsLocked).ToList())
        {
            if (message.ExpiresAt(Settings.DefaultMessageTimeToLive) <= now)
            {
                Expire(message);
            }
        }
    }

    /// <summary>
    /// "Whenever a message has been delivered under a peek-lock, but has been either explicitly
    /// abandoned or the lock has expired, the delivery count on the message is incremented. When the
    /// delivery count exceeds the limit, the message is moved to the DLQ" (docs:
    /// service-bus-messaging/service-bus-dead-letter-queues.md).
    /// </summary>
    void AfterLockReleased(EntityStore entity, StoredMessage message)
    {
        if (!entity.IsDeadLetterQueue && message.Deliveries >= Settings.MaxDeliveryCount)
        {
            MoveToDeadLetter(message, MaxDeliveryCountExceeded,
                $"Message could not be consumed after {Settings.MaxDeliveryCount} delivery attempts.", properties: null);
        }
    }

    /// <summary>An expired message is dropped, or dead-lettered when the queue asks for it.</summary>
    void Expire(StoredMessage message)
    {
        if (Settings.DeadLetteringOnMessageExpiration)
        {
            MoveToDeadLetter(message, TtlExpired, "The message expired and was dead lettered.", properties: null);
        }
        else
        {
            Main.Remove(message);
        }
    }

    void MoveToDeadLetter(StoredMessage message, string? reason, string? description, IReadOnlyDictionary<string, object?>? properties)
    {
        Main.Remove(message);
        var changes = new List<KeyValuePair<string, object?>>(properties ?? new Dictionary<string, object?>());
        if (reason is not null)
        {
            changes.Add(new(MessageCodec.DeadLetterReason, reason));
        }

        if (description is not null)
        {
            changes.Add(new(MessageCodec.DeadLetterErrorDescription, description));
        }

        message.Unlock();
        message.State = MessageState.Active;
        message.Encoded = MessageCodec.WithApplicationProperties(message.Encoded, changes);
        DeadLetter.Add(message);
    }

    DateTimeOffset Now() => TruncateToMilliseconds(time.GetUtcNow());

    /// <summary>AMQP timestamps carry milliseconds; the double keeps its instants at that precision.</summary>
    static DateTimeOffset TruncateToMilliseconds(DateTimeOffset at) =>
        new(at.Ticks - (at.Ticks % TimeSpan.TicksPerMillisecond), at.Offset);
}
