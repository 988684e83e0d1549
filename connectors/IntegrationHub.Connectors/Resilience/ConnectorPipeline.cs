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
        var name = system.Name;
        var options = system.Options;
        var time = services.GetRequiredService<TimeProvider>();
        var metrics = services.GetRequiredService<ConnectorMetrics>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ConnectorPipeline).FullName!);
        var circuit = services.GetRequiredService<ConnectorCircuits>().For(name);

        builder
            .AddTimeout(new HttpTimeoutStrategyOptions { Name = "total", Timeout = options.TotalTimeout })
            .AddRateLimiter(new RateLimiterStrategyOptions
            {
                Name = "concurrency",
                RateLimiter = args => circuit.Limiter.AcquireAsync(1, args.Context.CancellationToken),
                OnRejected = args =>
                {
                    var operation = OperationOf(args.Context);
                    Log.ConcurrencyRejected(logger, name, operation, options.Concurrency.MaxConcurrent, options.Concurrency.QueueLimit);
                    metrics.Rejected(name, operation, "concurrency_limit");
                    return default;
                },
            });

        if (options.Retry.MaxRetries > 0)
        {
            builder.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = options.Retry.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.Retry.BaseDelay,
                MaxDelay = options.Retry.MaxDelay,
                ShouldRetryAfterHeader = true,
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(name, options.Retry, args.Outcome, args.Context, time, logger)),
                OnRetry = args =>
                {
                    var outcome = TransientFailures.Describe(args.Outcome);
                    var operation = OperationOf(args.Context);
                    Log.RetryScheduled(logger, name, operation, args.AttemptNumber + 1, outcome, args.RetryDelay);
                    metrics.Retry(name, operation, outcome);
                    return default;
                },
            });
        }

        builder
            .AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
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
            })
            .AddTimeout(new HttpTimeoutStrategyOptions { Name = "attempt", Timeout = options.AttemptTimeout });
        circuit.Attached();
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
}
