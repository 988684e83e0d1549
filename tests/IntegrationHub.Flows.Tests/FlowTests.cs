namespace IntegrationHub.Flows.Tests;

/// <summary>A test class on a fresh <see cref="FlowHarness"/> per test, disposed with it.</summary>
public abstract class FlowTests : IAsyncLifetime
{
    internal FlowHarness Hub { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Hub = await FlowHarness.StartAsync();
        await ArrangeAsync();
    }

    public async ValueTask DisposeAsync() => await Hub.DisposeAsync();

    /// <summary>What every test of the class starts from, once the hub is there.</summary>
    protected virtual Task ArrangeAsync() => Task.CompletedTask;
}
