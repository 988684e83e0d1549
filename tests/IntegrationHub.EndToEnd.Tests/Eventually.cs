namespace IntegrationHub.EndToEnd.Tests;

/// <summary>Waits for a condition the hub brings about, polling; fails with what was seen when it does not come.</summary>
public static class Eventually
{
    public static async Task HoldsAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> describe)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(describe);
        var deadline = TimeProvider.System.GetUtcNow() + timeout;
        while (!await condition())
        {
            if (TimeProvider.System.GetUtcNow() > deadline)
            {
                Assert.Fail($"Not within {timeout.TotalSeconds:0} s: {describe()}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }
    }
}
