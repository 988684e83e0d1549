using System.Threading.RateLimiting;
using Polly;

namespace IntegrationHub.Connectors.Resilience;

/// <summary>
/// Lets at most a fixed number of calls to one system run at once; the others wait in a bounded
/// queue, oldest first, and beyond it are rejected at once.
/// </summary>
internal sealed class ConcurrencyLimitStrategy(ConcurrencyLimiter limiter, Action<ResilienceContext> onRejected) : ResilienceStrategy
{
    protected override async ValueTask<Outcome<TResult>> ExecuteCore<TResult, TState>(
        Func<ResilienceContext, TState, ValueTask<Outcome<TResult>>> callback,
        ResilienceContext context,
        TState state)
    {
        RateLimitLease lease;
        try
        {
            lease = await limiter.AcquireAsync(1, context.CancellationToken);
        }
        catch (OperationCanceledException ex)
        {
            return Outcome.FromException<TResult>(ex);
        }

        using (lease)
        {
            if (!lease.IsAcquired)
            {
                onRejected(context);
                return Outcome.FromException<TResult>(new ConcurrencyLimitRejectedException());
            }

            return await callback(context, state);
        }
    }
}

/// <summary>A call was refused because the system already had as many calls in flight, and waiting, as allowed.</summary>
internal sealed class ConcurrencyLimitRejectedException : ExecutionRejectedException
{
    /// <summary>Creates the exception.</summary>
    public ConcurrencyLimitRejectedException()
        : base("The connector's concurrency limit and queue are full.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public ConcurrencyLimitRejectedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public ConcurrencyLimitRejectedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
