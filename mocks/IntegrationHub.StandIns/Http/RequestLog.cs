namespace IntegrationHub.StandIns.Http;

/// <summary>Every request a stand-in server received, in the order it arrived.</summary>
internal sealed class RequestLog
{
    private readonly Lock gate = new();
    private readonly List<LoggedRequest> requests = [];

    public void Add(LoggedRequest request)
    {
        lock (gate)
        {
            requests.Add(request);
        }
    }

    public IReadOnlyList<LoggedRequest> Where(Func<LoggedRequest, bool> filter)
    {
        lock (gate)
        {
            return requests.Where(filter).ToList();
        }
    }

    public void Clear()
    {
        lock (gate)
        {
            requests.Clear();
        }
    }
}
