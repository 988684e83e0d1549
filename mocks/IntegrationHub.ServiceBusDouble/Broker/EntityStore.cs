namespace IntegrationHub.ServiceBusDouble.Broker;

/// <summary>
/// The messages of one entity (a queue or its dead-letter queue) in sequence-number order, and the
/// locks held on them. Not thread-safe: the owning <see cref="DoubleQueue"/> serialises all calls.
/// </summary>
internal sealed class EntityStore(string path, bool isDeadLetterQueue)
{
    readonly SortedDictionary<long, StoredMessage> messages = [];
    readonly Dictionary<Guid, StoredMessage> locks = [];

    public string Path { get; } = path;

    public bool IsDeadLetterQueue { get; } = isDeadLetterQueue;

    public IEnumerable<StoredMessage> All => messages.Values;

    public int Count => messages.Count;

    public void Add(StoredMessage message) => messages.Add(message.SequenceNumber, message);

    public void Remove(StoredMessage message)
    {
        messages.Remove(message.SequenceNumber);
        if (message.LockToken is Guid token)
        {
            locks.Remove(token);
        }
    }

    public void Renumber(StoredMessage message, long sequenceNumber)
    {
        messages.Remove(message.SequenceNumber);
        message.SequenceNumber = sequenceNumber;
        messages.Add(sequenceNumber, message);
    }

    /// <summary>The first active message nobody holds, in sequence-number order.</summary>
    public StoredMessage? FirstAvailable() =>
        messages.Values.FirstOrDefault(m => m.State == MessageState.Active && !m.IsLocked);

    public StoredMessage? Find(long sequenceNumber) => messages.GetValueOrDefault(sequenceNumber);

    /// <summary>Locks the message for a receiver: a new lock token, and one more delivery.</summary>
    public Guid Lock(StoredMessage message, DateTimeOffset lockedUntil)
    {
        var token = Guid.NewGuid();
        message.LockToken = token;
        message.LockedUntil = lockedUntil;
        message.Deliveries++;
        locks.Add(token, message);
        return token;
    }

    public void Unlock(StoredMessage message)
    {
        if (message.LockToken is Guid token)
        {
            locks.Remove(token);
        }

        message.Unlock();
    }

    /// <summary>The message a lock token holds, while its lock has not expired.</summary>
    public StoredMessage? Locked(Guid token, DateTimeOffset now) =>
        locks.TryGetValue(token, out StoredMessage? message) && message.LockedUntil > now ? message : null;

    public IReadOnlyList<StoredMessage> ExpiredLocks(DateTimeOffset now) =>
        locks.Values.Where(m => m.LockedUntil <= now).ToList();

    public IEnumerable<StoredMessage> InState(MessageState state) => messages.Values.Where(m => m.State == state);

    public IReadOnlyList<StoredMessage> Peek(long fromSequenceNumber, int count) =>
        messages.Values.Where(m => m.SequenceNumber >= fromSequenceNumber).Take(count).ToList();

    /// <summary>The earliest instant a lock of this entity runs out, if any is held.</summary>
    public DateTimeOffset? NextLockExpiry() =>
        locks.Count == 0 ? null : locks.Values.Min(m => m.LockedUntil);
}
