using System.Collections.Frozen;
using System.Threading.RateLimiting;
using Polly.CircuitBreaker;

namespace IntegrationHub.Connectors.Resilience;

/// <summary>
/// Each configured system's circuit as its pipeline sees it: the breaker's state, the concurrency
/// limiter's slots, when the circuit last changed and why it last opened; what the operations page shows.
/// </summary>
internal sealed class ConnectorCircuits(IEnumerable<ConnectorSystem> systems) : IConnectorCircuits, IDisposable
{
    private readonly FrozenDictionary<string, SystemCircuit> circuits =
        systems.ToFrozenDictionary(s => s.Name, s => new SystemCircuit(s.Name, s.Options.Concurrency), StringComparer.Ordinal);

    public IReadOnlyList<ConnectorCircuit> Current =>
        circuits.Keys.Order(StringComparer.Ordinal).Select(name => circuits[name].Snapshot()).ToList();

    /// <summary>The circuit of a configured system.</summary>
    public SystemCircuit For(string system) =>
        circuits.TryGetValue(system, out var circuit) ? circuit : throw new InvalidOperationException($"No connector is configured for the system '{system}'.");

    public void Dispose()
    {
        foreach (var circuit in circuits.Values)
        {
            circuit.Limiter.Dispose();
        }
    }

    /// <summary>One system's breaker state, concurrency limiter and last change.</summary>
    internal sealed class SystemCircuit(string system, ConcurrencySettings concurrency)
    {
        private readonly Lock gate = new();
        private DateTimeOffset? since;
        private string? lastFailure;
        private volatile bool attached;

        public CircuitBreakerStateProvider State { get; } = new();

        /// <summary>Shared by every call to the system: a call keeps its slot through its retries.</summary>
        public ConcurrencyLimiter Limiter { get; } = new(new ConcurrencyLimiterOptions
        {
            PermitLimit = concurrency.MaxConcurrent,
            QueueLimit = concurrency.QueueLimit,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });

        /// <summary>The pipeline that reports to this circuit has been built.</summary>
        public void Attached() => attached = true;

        public void Changed(DateTimeOffset at, string? failure)
        {
            lock (gate)
            {
                since = at;
                lastFailure = failure ?? lastFailure;
            }
        }

        public ConnectorCircuit Snapshot()
        {
            DateTimeOffset? changedAt;
            string? failure;
            lock (gate)
            {
                (changedAt, failure) = (since, lastFailure);
            }

            var statistics = Limiter.GetStatistics();
            var status = !attached ? CircuitStatus.Closed : State.CircuitState switch
            {
                CircuitState.Open => CircuitStatus.Open,
                CircuitState.HalfOpen => CircuitStatus.HalfOpen,
                CircuitState.Isolated => CircuitStatus.Isolated,
                _ => CircuitStatus.Closed,
            };
            var free = (int)(statistics?.CurrentAvailablePermits ?? concurrency.MaxConcurrent);
            return new ConnectorCircuit(system, status, changedAt, failure, concurrency.MaxConcurrent - free, (int)(statistics?.CurrentQueuedCount ?? 0));
        }
    }
}
