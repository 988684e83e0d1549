using Xunit;

namespace IntegrationHub.Testing.WireMock;

/// <summary>
/// An xUnit class fixture giving a test class the shared WireMock
/// (<c>IClassFixture&lt;WireMockFixture&gt;</c>); each test opens its own <see cref="WireMockScope"/>.
/// </summary>
public sealed class WireMockFixture : IAsyncLifetime
{
    private WireMockServer? server;

    /// <summary>The shared instance.</summary>
    public WireMockServer Server => server ?? throw new InvalidOperationException("The fixture is not initialised.");

    /// <summary>Where it listens.</summary>
    public Uri Url => Server.Url;

    /// <summary>A fresh scope for one test: its own stubs, faults and journal.</summary>
    public WireMockScope CreateScope() => new(Server);

    /// <inheritdoc />
    public async Task InitializeAsync() => server = await WireMockServer.GetAsync();

    /// <inheritdoc />
    public Task DisposeAsync() => Task.CompletedTask;
}
