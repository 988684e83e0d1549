using IntegrationHub.StandIns;
using Xunit;

namespace IntegrationHub.Testing;

/// <summary>
/// A clean stand-in server for one test class (<c>IClassFixture&lt;StandInsFixture&gt;</c>), in
/// process on a free loopback port; each test opens its own <see cref="StandInScope"/>.
/// </summary>
public sealed class StandInsFixture : IAsyncLifetime
{
    private StandInServer? server;

    /// <summary>The class's stand-ins.</summary>
    public StandInServer Server => server ?? throw new InvalidOperationException("The fixture is not initialised.");

    /// <summary>Where they listen.</summary>
    public Uri Url => Server.Url;

    /// <summary>A fresh scope for one test: its own answers and its own requests.</summary>
    public StandInScope CreateScope() => Server.CreateScope();

    /// <inheritdoc />
    public ValueTask InitializeAsync()
    {
        server = StandInServer.Start();
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }
}
