namespace IntegrationHub.Runtime.Functions;

/// <summary>
/// When a failed message is delivered again, and when it has had enough: the Functions retry
/// strategies mapped onto abandon-with-delay and the queue's delivery count.
/// </summary>
internal sealed class RetryPolicy(RetryOptions? options, int maxDeliveryCount)
{
    /// <summary>Deliveries a message gets in all: the first plus the retries, never more than the queue allows.</summary>
    public int AllowedDeliveries { get; } = options is null || options.MaxRetryCount < 0
        ? maxDeliveryCount
        : Math.Min(options.MaxRetryCount + 1, maxDeliveryCount);

    /// <summary>The wait before the delivery that follows failed delivery number <paramref name="deliveryCount"/>.</summary>
    public TimeSpan DelayAfter(int deliveryCount) => options?.Strategy switch
    {
        RetryOptions.FixedDelay => options.DelayInterval ?? TimeSpan.Zero,
        RetryOptions.ExponentialBackoff => Backoff(options.MinimumInterval!.Value, options.MaximumInterval!.Value, deliveryCount),
        _ => TimeSpan.Zero,
    };

    private static TimeSpan Backoff(TimeSpan minimum, TimeSpan maximum, int deliveryCount)
    {
        var doublings = Math.Clamp(deliveryCount - 1, 0, 30);
        var ticks = minimum.Ticks * Math.Pow(2, doublings);
        return ticks >= maximum.Ticks ? maximum : TimeSpan.FromTicks((long)ticks);
    }
}
