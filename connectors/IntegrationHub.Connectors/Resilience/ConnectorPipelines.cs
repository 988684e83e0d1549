using System.Collections.Frozen;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace IntegrationHub.Connectors.Resilience;

/// <summary>A configured external system: its name and its settings.</summary>
internal sealed record ConnectorSystem(string Name, ConnectorOptions Options);

/// <summary>
/// One resilience pipeline per external system, shared by every client and handler that calls it
/// (so that the breaker and the concurrency limit see all of the system's traffic), built on first
/// use from the system's options.
/// </summary>
internal sealed class ConnectorPipelines : IConnectorCircuits
{
    private static readonly ResiliencePropertyKey<HttpRequestMessage> RequestKey = new("IntegrationHub.Connectors.Request");

    private readonly FrozenDictionary<string, Lazy<SystemPipeline>> pipelines;
    private readonly TimeProvider time;
    private readonly ConnectorMetrics metrics;
    private readonly ILogger logger;

    public ConnectorPipelines(IEnumerable<ConnectorSystem> systems, TimeProvider time, ConnectorMetrics metrics, ILogger<ConnectorPipelines> logger)
    {
        this.time = time;
        this.metrics = metrics;
        this.logger = logger;
        pipelines = systems.ToFrozenDictionary(s => s.Name, s => new Lazy<SystemPipeline>(() => Build(s)), StringComparer.Ordinal);
    }

    public IReadOnlyList<ConnectorCircuit> Current =>
        pipelines.Keys.Order(StringComparer.Ordinal).Select(name => pipelines[name].Value.Snapshot()).ToList();

    /// <summary>The pipeline of a configured system.</summary>
    public SystemPipeline For(string system) =>
        pipelines.TryGetValue(system, out var pipeline)
            ? pipeline.Value
            : throw new InvalidOperationException($"No connector is configured for the system '{system}'.");

    /// <summary>Runs a request through the system's pipeline; the request travels in the context for the predicates.</summary>
    public static void Attach(ResilienceContext context, HttpRequestMessage request) => context.Properties.Set(RequestKey, request);

    private SystemPipeline Build(ConnectorSystem system)
    {
        var name = system.Name;
        var options = system.Options;
        var limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = options.Concurrency.MaxConcurrent,
            QueueLimit = options.Concurrency.QueueLimit,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
        var state = new CircuitBreakerStateProvider();
        var circuit = new CircuitRecord();

        // Outermost first: the total budget covers the wait for a slot and every attempt; a call
        // holds one slot through its retries, so the system never sees more than MaxConcurrent
        // calls from this hub instance; the breaker sees every attempt; each attempt has its own timeout.
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { Name = name, TimeProvider = time }
            .AddTimeout(new TimeoutStrategyOptions { Name = "total", Timeout = options.TotalTimeout })
            .AddStrategy(_ => new ConcurrencyLimitStrategy(limiter, context =>
            {
                Log.ConcurrencyRejected(logger, name, context.OperationKey ?? "", options.Concurrency.MaxConcurrent, options.Concurrency.QueueLimit);
                metrics.Rejected(name, context.OperationKey ?? "", "concurrency_limit");
            }));

        if (options.Retry.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = options.Retry.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.Retry.BaseDelay,
                MaxDelay = options.Retry.MaxDelay,
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(name, options.Retry, args.Outcome, args.Context)),
                DelayGenerator = args => ValueTask.FromResult(TransientFailures.RetryAfter(args.Outcome.Result, time)),
                OnRetry = args =>
                {
                    var outcome = TransientFailures.Describe(args.Outcome);
                    Log.RetryScheduled(logger, name, args.Context.OperationKey ?? "", args.AttemptNumber + 1, outcome, args.RetryDelay);
                    metrics.Retry(name, args.Context.OperationKey ?? "", outcome);
                    return default;
                },
            });
        }

        builder
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
            {
                FailureRatio = options.Breaker.FailureRatio,
                MinimumThroughput = options.Breaker.MinimumThroughput,
                SamplingDuration = options.Breaker.SamplingDuration,
                BreakDuration = options.Breaker.BreakDuration,
                StateProvider = state,
                ShouldHandle = args => ValueTask.FromResult(TransientFailures.IsTransient(args.Outcome)),
                OnOpened = args =>
                {
                    var outcome = TransientFailures.Describe(args.Outcome);
                    circuit.Changed(time.GetUtcNow(), outcome);
                    Log.CircuitOpened(logger, name, args.BreakDuration, outcome);
                    metrics.CircuitOpened(name);
                    return default;
                },
                OnHalfOpened = _ =>
                {
                    circuit.Changed(time.GetUtcNow(), null);
                    Log.CircuitHalfOpened(logger, name);
                    return default;
                },
                OnClosed = _ =>
                {
                    circuit.Changed(time.GetUtcNow(), null);
                    Log.CircuitClosed(logger, name);
                    return default;
                },
            })
            .AddTimeout(new TimeoutStrategyOptions { Name = "attempt", Timeout = options.AttemptTimeout });

        return new SystemPipeline(name, builder.Build(), state, limiter, circuit, options.Concurrency.MaxConcurrent);
    }

    private bool ShouldRetry(string system, RetrySettings settings, Outcome<HttpResponseMessage> outcome, ResilienceContext context)
    {
        if (!TransientFailures.IsTransient(outcome))
        {
            return false;
        }

        var operation = context.OperationKey ?? "";
        if (context.Properties.TryGetValue(RequestKey, out var request)
            && !ConnectorRequest.IsRetrySafe(request)
            && !TransientFailures.WasNotApplied(outcome))
        {
            Log.NotRetriedMayBeApplied(logger, system, operation, TransientFailures.Describe(outcome));
            return false;
        }

        if (TransientFailures.RetryAfter(outcome.Result, time) is { } pause && pause > settings.MaxRetryAfter)
        {
            Log.NotRetriedPauseTooLong(logger, system, operation, pause, settings.MaxRetryAfter);
            return false;
        }

        return true;
    }

    /// <summary>When the circuit last changed, and why it last opened.</summary>
    internal sealed class CircuitRecord
    {
        private readonly Lock gate = new();

        public DateTimeOffset? Since { get; private set; }

        public string? LastFailure { get; private set; }

        public void Changed(DateTimeOffset at, string? failure)
        {
            lock (gate)
            {
                Since = at;
                LastFailure = failure ?? LastFailure;
            }
        }

        public (DateTimeOffset? Since, string? LastFailure) Read()
        {
            lock (gate)
            {
                return (Since, LastFailure);
            }
        }
    }

    /// <summary>A system's pipeline and the state the circuits service reads.</summary>
    internal sealed class SystemPipeline
    {
        private readonly CircuitBreakerStateProvider state;
        private readonly ConcurrencyLimiter limiter;
        private readonly CircuitRecord circuit;
        private readonly int maxConcurrent;

        internal SystemPipeline(string system, ResiliencePipeline<HttpResponseMessage> pipeline, CircuitBreakerStateProvider state, ConcurrencyLimiter limiter, CircuitRecord circuit, int maxConcurrent)
        {
            System = system;
            Pipeline = pipeline;
            this.state = state;
            this.limiter = limiter;
            this.circuit = circuit;
            this.maxConcurrent = maxConcurrent;
        }

        public string System { get; }

        public ResiliencePipeline<HttpResponseMessage> Pipeline { get; }

        public ConnectorCircuit Snapshot()
        {
            var (since, lastFailure) = circuit.Read();
            var statistics = limiter.GetStatistics();
            var status = state.CircuitState switch
            {
                CircuitState.Open => CircuitStatus.Open,
                CircuitState.HalfOpen => CircuitStatus.HalfOpen,
                CircuitState.Isolated => CircuitStatus.Isolated,
                _ => CircuitStatus.Closed,
            };
            return new ConnectorCircuit(System, status, since, lastFailure, maxConcurrent - (int)(statistics?.CurrentAvailablePermits ?? maxConcurrent), (int)(statistics?.CurrentQueuedCount ?? 0));
        }
    }
}
