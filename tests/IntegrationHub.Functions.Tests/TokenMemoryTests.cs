using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;

namespace IntegrationHub.Functions.Tests;

/// <summary>A host on a clock the test moves.</summary>
public sealed class ManualClockHost : IDisposable
{
    public HostFixture Host { get; } = new() { Clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow()) };

    public void Dispose() => Host.Dispose();
}

[Trait("Category", "Security")]
public sealed class TokenMemoryTests(ManualClockHost clocked) : IClassFixture<ManualClockHost>
{
    [Fact]
    public async Task Get_RememberedTokenOnceItHasExpired_IsRefused()
    {
        var host = clocked.Host;
        var token = host.Keys.Token(["ops"], subject: "short-lived", expires: host.Clock!.GetUtcNow().AddMinutes(1));
        using var client = host.ClientWith(token);

        var first = await client.GetAsync(new Uri("/api/me", UriKind.Relative), TestContext.Current.CancellationToken);
        host.Clock.Advance(TimeSpan.FromMinutes(2));
        var later = await client.GetAsync(new Uri("/api/me", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, later.StatusCode);
        Assert.Equal("/problems/token-expired", (string?)(await later.Content.ReadFromJsonAsync<JsonObject>(TestContext.Current.CancellationToken))!["type"]);
    }
}
