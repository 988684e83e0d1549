namespace IntegrationHub.ServiceBusDouble.Broker;

/// <summary>
/// The <c>MessageId</c>s a queue has accepted within its duplicate-detection window. "If any new
/// message is sent with MessageId that was logged during the time window, the message is reported
/// as accepted, but the newly sent message is instantly ignored and dropped" (docs:
/// service-bus-messaging/duplicate-detection.md). Scheduled messages count too.
/// </summary>
internal sealed class DuplicateDetectionLog
{
    readonly Dictionary<string, DateTimeOffset> firstSeen = new(StringComparer.Ordinal);
    readonly Queue<(string Id, DateTimeOffset At)> order = new();

    /// <summary>True when the id was accepted within the window; otherwise records it and answers false.</summary>
    public bool IsDuplicate(string? messageId, DateTimeOffset now, TimeSpan window)
    {
        Prune(now, window);
        if (messageId is null)
        {
            return false;
        }

        if (firstSeen.ContainsKey(messageId))
        {
            return true;
        }

        firstSeen.Add(messageId, now);
        order.Enqueue((messageId, now));
        return false;
    }

    public void Clear()
    {
        firstSeen.Clear();
        order.Clear();
    }

    void Prune(DateTimeOffset now, TimeSpan window)
    {
        while (order.TryPeek(out (string Id, DateTimeOffset At) oldest) && now - oldest.At >= window)
        {
            order.Dequeue();
            firstSeen.Remove(oldest.Id);
        }
    }
}
