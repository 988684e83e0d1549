using System.Globalization;
using System.Text.Json.Nodes;

namespace IntegrationHub.Testing.WireMock;

/// <summary>
/// One test's view of the shared WireMock. Requests sent through <see cref="CreateHandler"/> carry
/// the scope's header, so that the stubs and faults added here answer only them (above the
/// stand-ins' own mappings) and the journal read here holds only them. Disposing removes the
/// scope's mappings. Tests running in parallel, even from other test processes, do not see each other.
/// </summary>
public sealed class WireMockScope(WireMockServer server) : IAsyncDisposable
{
    /// <summary>The header that marks a scope's requests.</summary>
    public const string HeaderName = "X-Hub-Test-Scope";

    private const string MetadataKey = "hubTestScope";
    private int scenarios;

    /// <summary>The scope's id, sent in <see cref="HeaderName"/>.</summary>
    public string Id { get; } = Guid.NewGuid().ToString("N");

    /// <summary>Where WireMock listens.</summary>
    public Uri Url => server.Url;

    /// <summary>A handler that marks requests as this scope's; put it first in the client's chain.</summary>
    public DelegatingHandler CreateHandler() => new ScopeHandler(Id);

    /// <summary>
    /// Answers this scope's requests to <paramref name="urlPath"/> with a fault, <paramref name="times"/>
    /// times in a row (then the stand-in's own mapping answers again), or every time when null.
    /// </summary>
    public Task FailAsync(string method, string urlPath, WireMockFault fault, int? times = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(fault);
        return StubAsync(method, urlPath, fault.Response, times, cancellationToken);
    }

    /// <summary>
    /// Answers this scope's requests to <paramref name="urlPath"/> with <paramref name="response"/>
    /// (WireMock's response JSON), <paramref name="times"/> times in a row, or every time when null.
    /// </summary>
    public async Task StubAsync(string method, string urlPath, JsonObject response, int? times = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentOutOfRangeException.ThrowIfLessThan(times ?? 1, 1);
        var scenario = $"{Id}-{Interlocked.Increment(ref scenarios).ToString(CultureInfo.InvariantCulture)}";
        for (var i = 0; i < (times ?? 1); i++)
        {
            var mapping = new JsonObject
            {
                ["name"] = $"test scope {Id}: {method} {urlPath}",
                ["priority"] = 1,
                ["metadata"] = new JsonObject { [MetadataKey] = Id },
                ["request"] = new JsonObject
                {
                    ["method"] = method,
                    ["urlPath"] = urlPath,
                    ["headers"] = new JsonObject { [HeaderName] = new JsonObject { ["equalTo"] = Id } },
                },
                ["response"] = response.DeepClone(),
            };
            if (times is not null)
            {
                // A chain of states: the i-th matching request moves the scenario on; after the last
                // one no state of this scenario matches and the stand-in's own mapping answers.
                mapping["scenarioName"] = scenario;
                mapping["requiredScenarioState"] = i == 0 ? "Started" : $"after-{i}";
                mapping["newScenarioState"] = $"after-{i + 1}";
            }

            await server.Admin.AddMappingAsync(mapping, cancellationToken);
        }
    }

    /// <summary>This scope's requests in WireMock's journal, oldest first; only those to <paramref name="urlPath"/> when given.</summary>
    public Task<IReadOnlyList<LoggedRequest>> RequestsAsync(string? urlPath = null, CancellationToken cancellationToken = default) =>
        server.Admin.FindRequestsAsync(new JsonObject
        {
            ["method"] = "ANY",
            [urlPath is null ? "urlPathPattern" : "urlPath"] = urlPath ?? ".*",
            ["headers"] = new JsonObject { [HeaderName] = new JsonObject { ["equalTo"] = Id } },
        }, cancellationToken);

    /// <summary>Waits until the journal holds at least <paramref name="count"/> of this scope's requests (to <paramref name="urlPath"/> when given).</summary>
    public async Task<IReadOnlyList<LoggedRequest>> WaitForRequestsAsync(int count, string? urlPath = null, TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var requests = await RequestsAsync(urlPath, cancel.Token);
            if (requests.Count >= count)
            {
                return requests;
            }

            await Task.Delay(25, cancel.Token);
        }
    }

    /// <summary>Removes this scope's stubs and faults.</summary>
    public Task ClearAsync(CancellationToken cancellationToken = default) => server.Admin.RemoveMappingsAsync(MetadataKey, Id, cancellationToken);

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await ClearAsync();

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
