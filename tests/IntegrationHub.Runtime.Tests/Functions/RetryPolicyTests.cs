using IntegrationHub.Runtime.Functions;

namespace IntegrationHub.Runtime.Tests.Functions;

[Trait("Category", "Unit")]
public sealed class RetryPolicyTests
{
    [Fact]
    public void DelayAfter_ExponentialBackoff_DoublesFromTheMinimumUpToTheMaximum()
    {
        var policy = new RetryPolicy(new RetryOptions { Strategy = RetryOptions.ExponentialBackoff, MaxRetryCount = 10, MinimumInterval = TimeSpan.FromSeconds(2), MaximumInterval = TimeSpan.FromSeconds(30) }, maxDeliveryCount: 20);

        var delays = Enumerable.Range(1, 6).Select(policy.DelayAfter).Select(d => d.TotalSeconds);

        Assert.Equal([2, 4, 8, 16, 30, 30], delays);
    }

    [Fact]
    public void DelayAfter_FixedDelay_IsTheSameEveryTime()
    {
        var policy = new RetryPolicy(new RetryOptions { Strategy = RetryOptions.FixedDelay, MaxRetryCount = 3, DelayInterval = TimeSpan.FromSeconds(7) }, maxDeliveryCount: 10);

        Assert.All(Enumerable.Range(1, 3), n => Assert.Equal(TimeSpan.FromSeconds(7), policy.DelayAfter(n)));
    }

    [Theory]
    [InlineData(2, 10, 3)]
    [InlineData(20, 10, 10)]
    [InlineData(-1, 10, 10)]
    public void AllowedDeliveries_RetriesAndTheQueueLimit_IsTheSmallerOfTheTwo(int maxRetryCount, int maxDeliveryCount, int expected)
    {
        var policy = new RetryPolicy(new RetryOptions { Strategy = RetryOptions.FixedDelay, MaxRetryCount = maxRetryCount, DelayInterval = TimeSpan.Zero }, maxDeliveryCount);

        Assert.Equal(expected, policy.AllowedDeliveries);
    }

    [Fact]
    public void NoRetrySection_RetriesAtOnceUntilTheQueueLimit()
    {
        var policy = new RetryPolicy(null, maxDeliveryCount: 10);

        Assert.Equal(10, policy.AllowedDeliveries);
        Assert.Equal(TimeSpan.Zero, policy.DelayAfter(1));
    }
}
