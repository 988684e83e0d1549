namespace IntegrationHub.Connectors;

/// <summary>The circuit state of each connected system, read-only (the operations page shows it).</summary>
public interface IConnectorCircuits
{
    /// <summary>One entry per configured system, in name order.</summary>
    IReadOnlyList<ConnectorCircuit> Current { get; }
}

/// <summary>A system's circuit now.</summary>
/// <param name="System">The system, e.g. <c>portal</c>.</param>
/// <param name="State">Closed (calls flow), open (calls fail at once), half-open (one probe is allowed) or isolated.</param>
/// <param name="Since">When the circuit last changed state; null when it has been closed since the hub started.</param>
/// <param name="LastFailure">What opened it last (e.g. <c>HTTP 503</c>); null when it never opened.</param>
/// <param name="InFlight">Calls in flight to the system now.</param>
/// <param name="Queued">Calls waiting for a concurrency slot now.</param>
public sealed record ConnectorCircuit(string System, CircuitStatus State, DateTimeOffset? Since, string? LastFailure, int InFlight, int Queued);

/// <summary>A circuit's state.</summary>
public enum CircuitStatus
{
    /// <summary>Calls flow.</summary>
    Closed,
    /// <summary>Calls fail at once until the break is over.</summary>
    Open,
    /// <summary>The break is over; the next call is a probe that closes or reopens the circuit.</summary>
    HalfOpen,
    /// <summary>Held open by hand.</summary>
    Isolated,
}
