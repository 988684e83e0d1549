namespace IntegrationHub.StandIns;

/// <summary>
/// One test's view of a stand-in server. Requests sent through <see cref="CreateHandler"/> carry
/// the scope's header, so that the answers put in front here (<see cref="Fail"/>, <see cref="Stub"/>)
/// answer only them, and <see cref="Requests"/> holds only them. <see cref="Clear"/> (and disposing)
/// removes the scope's answers; the stand-ins' own behaviour is untouched throughout.
/// </summary>
public sealed class StandInScope : IDisposable
{
    /// <summary>The header that marks a scope's requests.</summary>
    public const string HeaderName = "X-Hub-Test-Scope";

    private readonly StandInServer server;

    internal StandInScope(StandInServer server) => this.server = server;

    /// <summary>The scope's id, sent in <see cref="HeaderName"/>.</summary>
    public string Id { get; } = Guid.NewGuid().ToString("N");

    /// <summary>Where the stand-ins listen.</summary>
    public Uri Url => server.Url;

    /// <summary>A handler that marks requests as this scope's; put it first in the client's chain.</summary>
    public DelegatingHandler CreateHandler() => new ScopeHandler(Id);

    /// <summary>
    /// Answers this scope's <paramref name="method"/> requests to <paramref name="urlPath"/> with a fault,
    /// <paramref name="times"/> times in a row (then the stand-in answers as it does), or every time when null.
    /// </summary>
    public void Fail(string method, string urlPath, StandInReply fault, int? times = null) => Stub(method, urlPath, fault, times);

    /// <summary>Answers this scope's requests with <paramref name="reply"/>, <paramref name="times"/> times in a row, or every time when null.</summary>
    public void Stub(string method, string urlPath, StandInReply reply, int? times = null)
    {
        ArgumentNullException.ThrowIfNull(reply);
        ArgumentOutOfRangeException.ThrowIfLessThan(times ?? 1, 1);
        server.AddStub(Id, method, urlPath, reply, times);
    }

    /// <summary>This scope's requests as they arrived, oldest first; only those to <paramref name="urlPath"/> when given.</summary>
    public IReadOnlyList<LoggedRequest> Requests(string? urlPath = null) =>
        server.Requests(r => r.Header(HeaderName) == Id && (urlPath is null || r.Path == urlPath));

    /// <summary>Removes this scope's answers.</summary>
    public void Clear() => server.RemoveStubs(Id);

    /// <inheritdoc />
    public void Dispose() => Clear();

    private sealed class ScopeHandler(string id) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.Remove(HeaderName);
            request.Headers.Add(HeaderName, id);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
