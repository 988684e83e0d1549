namespace IntegrationHub.Runtime.Functions;

/// <summary>
/// Settings of one queue function that override <c>host.json</c> (<c>extensions.serviceBus</c> and
/// <c>retry</c>); what is left null comes from there.
/// </summary>
public sealed class QueueFunctionOptions
{
    /// <summary>The function's name (its consumer name in the inbox, its metrics tag).</summary>
    /// <value>Defaults to the function class's name.</value>
    public string? Name { get; set; }

    /// <summary>Messages processed at once.</summary>
    public int? MaxConcurrentCalls { get; set; }

    /// <summary>Messages received ahead of processing.</summary>
    public int? PrefetchCount { get; set; }

    /// <summary>Whether a successful run completes the message; false makes the function settle it.</summary>
    public bool? AutoCompleteMessages { get; set; }

    /// <summary>How long the runtime keeps renewing the lock of a message being processed.</summary>
    public TimeSpan? MaxAutoLockRenewalDuration { get; set; }

    /// <summary>The retry policy: how long to wait before a failed message is delivered again, and how often.</summary>
    public RetryOptions? Retry { get; set; }
}

/// <summary>A retry policy with the meaning of the Functions <c>host.json</c> <c>retry</c> section.</summary>
public sealed class RetryOptions
{
    /// <summary>Waits the same <see cref="DelayInterval"/> before every retry.</summary>
    public const string FixedDelay = "fixedDelay";

    /// <summary>Waits <see cref="MinimumInterval"/>, then twice as long each time, up to <see cref="MaximumInterval"/>.</summary>
    public const string ExponentialBackoff = "exponentialBackoff";

    /// <summary><c>fixedDelay</c> or <c>exponentialBackoff</c>.</summary>
    public string? Strategy { get; set; }

    /// <summary>Retries after the first delivery; -1 retries until the queue's MaxDeliveryCount.</summary>
    public int MaxRetryCount { get; set; }

    /// <summary>The delay of <c>fixedDelay</c>.</summary>
    public TimeSpan? DelayInterval { get; set; }

    /// <summary>The first delay of <c>exponentialBackoff</c>.</summary>
    public TimeSpan? MinimumInterval { get; set; }

    /// <summary>The longest delay of <c>exponentialBackoff</c>.</summary>
    public TimeSpan? MaximumInterval { get; set; }

    /// <summary>The problems with the policy, each naming the setting; empty when it is sound.</summary>
    internal IEnumerable<string> Problems(string where)
    {
        if (Strategy is not (FixedDelay or ExponentialBackoff))
        {
            yield return $"{where}.strategy must be '{FixedDelay}' or '{ExponentialBackoff}' (was '{Strategy}').";
            yield break;
        }

        if (MaxRetryCount < -1)
        {
            yield return $"{where}.maxRetryCount must be -1 (until the queue's MaxDeliveryCount) or more (was {MaxRetryCount}).";
        }

        if (Strategy == FixedDelay && DelayInterval is null)
        {
            yield return $"{where}.delayInterval is required for the '{FixedDelay}' strategy.";
        }
        else if (Strategy == FixedDelay && DelayInterval < TimeSpan.Zero)
        {
            yield return $"{where}.delayInterval must not be negative.";
        }

        if (Strategy == ExponentialBackoff && (MinimumInterval is null || MaximumInterval is null))
        {
            yield return $"{where}.minimumInterval and {where}.maximumInterval are required for the '{ExponentialBackoff}' strategy.";
        }
        else if (Strategy == ExponentialBackoff && (MinimumInterval <= TimeSpan.Zero || MaximumInterval < MinimumInterval))
        {
            yield return $"{where}.minimumInterval must be positive and no more than {where}.maximumInterval.";
        }
    }
}
