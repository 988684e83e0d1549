using System.Collections.Concurrent;

namespace IntegrationHub.ServiceBusDouble.Broker;

/// <summary>The namespace's queues by name; Service Bus entity names are case-insensitive.</summary>
internal sealed class DoubleNamespace(TimeProvider time) : IDisposable
{
    readonly ConcurrentDictionary<string, DoubleQueue> queues = new(StringComparer.OrdinalIgnoreCase);

    public TimeProvider Time { get; } = time;

    public IEnumerable<DoubleQueue> Queues => queues.Values.OrderBy(q => q.Name, StringComparer.OrdinalIgnoreCase);

    public DoubleQueue? Find(string name) => queues.GetValueOrDefault(name);

    /// <summary>Creates the queue; false (and nothing changed) when it already exists.</summary>
    public bool TryCreate(string name, QueueSettings settings, out DoubleQueue queue)
    {
        var created = new DoubleQueue(name, settings, Time);
        queue = queues.GetOrAdd(name, created);
        if (queue != created)
        {
            created.Dispose();
            return false;
        }

        return true;
    }

    public bool Delete(string name)
    {
        if (!queues.TryRemove(name, out DoubleQueue? queue))
        {
            return false;
        }

        queue.Dispose();
        return true;
    }

    public void Dispose()
    {
        foreach (DoubleQueue queue in queues.Values)
        {
            queue.Dispose();
        }
    }
}

/// <summary>What an AMQP link address names: a queue, its dead-letter queue, a <c>$management</c> node, or <c>$cbs</c>.</summary>
internal readonly record struct EntityAddress(string Queue, bool DeadLetterQueue, bool Management, bool Cbs)
{
    const string DeadLetterSuffix = "/$DeadLetterQueue";
    const string ManagementSuffix = "/$management";

    /// <summary>The entity path without the sub-queue or node, as the not-found message names it.</summary>
    public string Path => DeadLetterQueue ? Queue + DeadLetterSuffix : Queue;

    public static EntityAddress Parse(string address)
    {
        string path = Uri.TryCreate(address, UriKind.Absolute, out Uri? uri) && uri.Scheme is "amqp" or "amqps" or "sb"
            ? uri.AbsolutePath
            : address;
        path = path.Trim('/');
        if (path.Equals("$cbs", StringComparison.OrdinalIgnoreCase))
        {
            return new EntityAddress(string.Empty, false, false, Cbs: true);
        }

        bool management = TrimSuffix(ref path, ManagementSuffix);
        bool deadLetter = TrimSuffix(ref path, DeadLetterSuffix);
        return new EntityAddress(path, deadLetter, management, false);
    }

    static bool TrimSuffix(ref string path, string suffix)
    {
        if (!path.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        path = path[..^suffix.Length];
        return true;
    }
}
