using System.Text.Json;

namespace IntegrationHub.ServiceBusDouble.Broker;

/// <summary>
/// The optional on-disk copy of a namespace's queues and messages, written when the double stops and
/// read when it starts, so messages survive a restart of the double as they survive one of a broker.
/// Locks do not survive (a locked message is available again, its delivery counted); neither does the
/// duplicate-detection history.
/// </summary>
internal static class NamespaceSnapshot
{
    static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    public static int Save(DoubleNamespace ns, string path)
    {
        List<QueueSnapshot> queues = ns.Queues.Select(q => q.Export()).ToList();
        string temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(queues, Json));
        File.Move(temporary, path, overwrite: true);
        return queues.Sum(q => q.Messages.Count);
    }

    public static int Load(DoubleNamespace ns, string path)
    {
        if (!File.Exists(path))
        {
            return 0;
        }

        List<QueueSnapshot> queues = JsonSerializer.Deserialize<List<QueueSnapshot>>(File.ReadAllText(path), Json) ?? [];
        foreach (QueueSnapshot snapshot in queues)
        {
            ns.TryCreate(snapshot.Name, snapshot.Settings, out DoubleQueue queue);
            queue.Import(snapshot);
        }

        return queues.Sum(q => q.Messages.Count);
    }
}

internal sealed record QueueSnapshot(string Name, QueueSettings Settings, long LastSequenceNumber, List<MessageSnapshot> Messages);

internal sealed record MessageSnapshot(
    bool DeadLetterQueue,
    byte[] Encoded,
    long SequenceNumber,
    DateTimeOffset EnqueuedTime,
    MessageState State,
    int Deliveries,
    DateTimeOffset? ScheduledAt);
