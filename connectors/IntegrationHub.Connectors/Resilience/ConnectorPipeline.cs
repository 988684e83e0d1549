using System.Threading.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.RateLimiting;
using Polly.Retry;
using Polly.Timeout;

namespace IntegrationHub.Connectors.Resilience;

/// <summary>A configured external system: its name, its settings, and the name of its <see cref="HttpClient"/>.</summary>
internal sealed record ConnectorSystem(string Name, ConnectorOptions Options, string ClientName);

/// <summary>
/// A system's resilience pipeline, built by Microsoft.Extensions.Http.Resilience's
/// <c>AddResilienceHandler</c> from the library's strategies. What is the hub's own: the order of the
/// strategies, a retry of a call that may already have been applied only when it is safe to repeat,
/// a cap on <c>Retry-After</c>, and the per-system counters, logs and circuit view.
/// </summary>
internal static class ConnectorPipeline
{
    /// <summary>
    /// Outermost first: the total budget covers the wait for a slot and every attempt; a call holds one
    /// concurrency slot through its retries, so the system never sees more than MaxConcurrent calls from
    /// this hub instance; the breaker sees every attempt; each attempt has its own timeout.
    /// </summary>
    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> builder, ConnectorSystem system, IServiceProvider services)
    {
        var parts = new Parts(
            system.Name,
            system.Options,
            services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<ConnectorMetrics>(),
            services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ConnectorPipeline).FullName!),
            services.GetRequiredService<ConnectorCircuits>().For(system.Name));

        builder.AddTimeout(new HttpTimeoutStrategyOptions { Name = "total", Timeout = parts.Options.TotalTimeout });
        AddConcurrencyLimit(builder, parts);
        if (parts.Options.Retry.MaxRetries > 0)
        {
            AddRetry(builder, parts);
        }

        AddBreaker(builder, parts);
        builder.AddTimeout(new HttpTimeoutStrategyOptions { Name = "attempt", Timeout = parts.Options.AttemptTimeout });
        parts.Circuit.Attached();
    }

    private static void AddConcurrencyLimit(ResiliencePipelineBuilder<HttpResponseMessage> builder, Parts parts) =>
        builder.AddRateLimiter(new RateLimiterStrategyOptions
        {
            Name = "concurrency",
            RateLimiter = args => parts.Circuit.Limiter.AcquireAsync(1, args.Context.CancellationToken),
            OnRejected = args =>
            {
                var operation = OperationOf(args.Context);
                var concurrency = parts.Options.Concurrency;
                Log.ConcurrencyRejected(parts.Logger, parts.Name, operation, concurrency.MaxConcurrent, concurrency.QueueLimit);
                parts.Metrics.Rejected(parts.Name, operation, "concurrency_limit");
                return default;
            },
        });

    private static void AddRetry(ResiliencePipelineBuilder<HttpResponseMessage> builder, Parts parts) =>
        builder.AddRetry(new HttpRetryStrategyOptions
        {
            MaxRetryAttempts = parts.Options.Retry.MaxRetries,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = parts.Options.Retry.BaseDelay,
            MaxDelay = parts.Options.Retry.MaxDelay,
            ShouldRetryAfterHeader = true,
            ShouldHandle = args => ValueTask.FromResult(ShouldRetry(parts.Name, parts.Options.Retry, args.Outcome, args.Context, parts.Time, parts.Logger)),
            OnRetry = args =>
            {
                var outcome = TransientFailures.Describe(args.Outcome);
                var operation = OperationOf(args.Context);
                Log.RetryScheduled(parts.Logger, parts.Name, operation, args.AttemptNumber + 1, outcome, args.RetryDelay);
                parts.Metrics.Retry(parts.Name, operation, outcome);
                return default;
            },
        });

    private static void AddBreaker(ResiliencePipelineBuilder<HttpResponseMessage> builder, Parts parts)
    {
        var (name, options, time, metrics, logger, circuit) = parts;
        builder.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
        {
            FailureRatio = options.Breaker.FailureRatio,
            MinimumThroughput = options.Breaker.MinimumThroughput,
            SamplingDuration = options.Breaker.SamplingDuration,
            BreakDuration = options.Breaker.BreakDuration,
            StateProvider = circuit.State,
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
        });
    }

    private static string OperationOf(ResilienceContext context) =>
        context.GetRequestMessage() is { } request ? ConnectorRequest.OperationOf(request) : "";

    /// <summary>The library's transient outcomes, less what must not be sent again.</summary>
    private static bool ShouldRetry(string system, RetrySettings settings, Outcome<HttpResponseMessage> outcome, ResilienceContext context, TimeProvider time, ILogger logger)
    {
        if (!HttpClientResiliencePredicates.IsTransient(outcome))
        {
            return false;
        }

        var operation = OperationOf(context);
        if (context.GetRequestMessage() is { } request && !ConnectorRequest.IsRetrySafe(request) && !TransientFailures.WasNotApplied(outcome))
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

    /// <summary>What every strategy of one system's pipeline reports to.</summary>
    private sealed record Parts(string Name, ConnectorOptions Options, TimeProvider Time, ConnectorMetrics Metrics, ILogger Logger, ConnectorCircuits.SystemCircuit Circuit);
}
