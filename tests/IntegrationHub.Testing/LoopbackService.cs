using Xunit;

namespace IntegrationHub.Testing;

/// <summary>
/// A server the tests need on loopback (a broker, a database), as an xUnit assembly fixture: waited
/// for when the test assembly starts. One that cannot be reached then fails only the tests that use
/// it (through <see cref="WhenReachable{T}"/>), with the message saying how to start it; the
/// assembly's other tests run without it.
/// </summary>
public abstract class LoopbackService : IAsyncLifetime
{
    private InvalidOperationException? unreachable;

    public async ValueTask InitializeAsync()
    {
        try
        {
            await WaitUntilReachableAsync(TimeSpan.FromSeconds(30));
        }
        catch (InvalidOperationException ex)
        {
            unreachable = ex;
        }
    }

    public ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    /// <summary>Waits until the server answers; throws <see cref="InvalidOperationException"/> saying how to start it when it does not in time.</summary>
    public abstract Task WaitUntilReachableAsync(TimeSpan timeout);

    /// <summary><paramref name="value"/> (the server's address), or the reason it could not be reached at start.</summary>
    protected T WhenReachable<T>(T value) => unreachable is null ? value : throw new InvalidOperationException(unreachable.Message, unreachable.InnerException);

    /// <summary>Forgets a failure at start: the server has answered since.</summary>
    protected void Reached() => unreachable = null;
}
