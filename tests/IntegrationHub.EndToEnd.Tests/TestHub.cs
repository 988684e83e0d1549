using IntegrationHub.StandIns;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.EndToEnd.Tests;

/// <summary>
/// One end-to-end test's whole hub, set up the one way: test signing keys, a stand-ins scope for the
/// hub's calls, the end-to-end settings with the test's changes, the hub in this process (its
/// functions and timers running) and a probe on its store; all disposed together.
/// </summary>
public sealed class TestHub : IAsyncDisposable
{
    private TestHub(TestKeys keys, StandInScope scope, Dictionary<string, string?> settings, InProcessHub hub)
    {
        Keys = keys;
        Scope = scope;
        Settings = settings;
        Hub = hub;
        Probe = HubProbe.Of(hub);
    }

    public TestKeys Keys { get; }

    public StandInScope Scope { get; }

    public IReadOnlyDictionary<string, string?> Settings { get; }

    public InProcessHub Hub { get; }

    public HubProbe Probe { get; }

    /// <summary>
    /// Starts a hub on <paramref name="standIns"/>, on <paramref name="transport"/> when given (the
    /// embedded transport on SQLite otherwise); <paramref name="configure"/> changes its settings first.
    /// </summary>
    public static TestHub Start(StandInServer standIns, Action<Dictionary<string, string?>>? configure = null, ILoggerProvider? logs = null, HubTransport? transport = null) =>
        Create(standIns, transport, configure, logs, hub => hub.Started());

    /// <summary>The same, serving over a real loopback port (for a browser or the command line).</summary>
    public static TestHub OnLoopback(StandInServer standIns, Action<Dictionary<string, string?>>? configure = null, HubTransport? transport = null, ILoggerProvider? logs = null) =>
        Create(standIns, transport, configure, logs, hub => hub.OnLoopback());

    /// <summary>Another hub on this one's settings and store (this one stopped first), as a restarted host.</summary>
    public InProcessHub StartAnother() => new InProcessHub(Settings, Scope).Started();

    public async ValueTask DisposeAsync()
    {
        await Probe.DisposeAsync();
        await Hub.DisposeAsync();
        Scope.Dispose();
        Keys.Dispose();
    }

    private static TestHub Create(StandInServer standIns, HubTransport? transport, Action<Dictionary<string, string?>>? configure, ILoggerProvider? logs, Func<InProcessHub, InProcessHub> start)
    {
        ArgumentNullException.ThrowIfNull(standIns);
        var keys = new TestKeys();
        var scope = standIns.CreateScope();
        var settings = EndToEnd.Settings(standIns.Url, keys);
        transport?.Apply(settings);
        configure?.Invoke(settings);
        return new TestHub(keys, scope, settings, start(new InProcessHub(settings, scope, logs)));
    }
}
