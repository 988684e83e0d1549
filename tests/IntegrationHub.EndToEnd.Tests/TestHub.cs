using IntegrationHub.Testing.WireMock;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.EndToEnd.Tests;

/// <summary>
/// One end-to-end test's whole hub, set up the one way: test signing keys, a WireMock scope for the
/// hub's calls, the end-to-end settings with the test's changes, the hub in this process (its
/// functions and timers running) and a probe on its store; all disposed together.
/// </summary>
public sealed class TestHub : IAsyncDisposable
{
    private TestHub(TestKeys keys, WireMockScope scope, Dictionary<string, string?> settings, InProcessHub hub)
    {
        Keys = keys;
        Scope = scope;
        Settings = settings;
        Hub = hub;
        Probe = HubProbe.Of(hub);
    }

    public TestKeys Keys { get; }

    public WireMockScope Scope { get; }

    public IReadOnlyDictionary<string, string?> Settings { get; }

    public InProcessHub Hub { get; }

    public HubProbe Probe { get; }

    /// <summary>Starts a hub on <paramref name="wireMock"/>'s stand-ins; <paramref name="configure"/> changes its settings first.</summary>
    public static TestHub Start(WireMockServer wireMock, Action<Dictionary<string, string?>>? configure = null, ILoggerProvider? logs = null) =>
        Create(wireMock, configure, logs, hub => hub.Started());

    /// <summary>The same, serving over a real loopback port (for a browser or the command line).</summary>
    public static TestHub OnLoopback(WireMockServer wireMock, Action<Dictionary<string, string?>>? configure = null) =>
        Create(wireMock, configure, null, hub => hub.OnLoopback());

    /// <summary>Another hub on this one's settings and store (this one stopped first), as a restarted host.</summary>
    public InProcessHub StartAnother() => new InProcessHub(Settings, Scope).Started();

    public async ValueTask DisposeAsync()
    {
        await Probe.DisposeAsync();
        await Hub.DisposeAsync();
        await Scope.DisposeAsync();
        Keys.Dispose();
    }

    private static TestHub Create(WireMockServer wireMock, Action<Dictionary<string, string?>>? configure, ILoggerProvider? logs, Func<InProcessHub, InProcessHub> start)
    {
        ArgumentNullException.ThrowIfNull(wireMock);
        var keys = new TestKeys();
        var scope = new WireMockScope(wireMock);
        var settings = EndToEnd.Settings(wireMock.Url, keys);
        configure?.Invoke(settings);
        return new TestHub(keys, scope, settings, start(new InProcessHub(settings, scope, logs)));
    }
}
