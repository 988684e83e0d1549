using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace IntegrationHub.Functions.Tests;

/// <summary>A host allowing each caller a burst of three requests and one a second after that.</summary>
public sealed class TightlyLimitedHost : IDisposable
{
    public HostFixture Host { get; } = new();

    public TightlyLimitedHost()
    {
        Host.Settings["RequestLimits:PermitsPerMinute"] = "60";
        Host.Settings["RequestLimits:Burst"] = "3";
    }

    public void Dispose() => Host.Dispose();
}

[Trait("Category", "Security")]
public sealed class RateLimitTests(TightlyLimitedHost limited) : IClassFixture<TightlyLimitedHost>
{
    [Fact]
    public async Task Get_CallerOverItsBurst_Is429WithRetryAfterWhileOthersAreServed()
    {
        using var busy = limited.Host.ClientWith(limited.Host.Keys.Token(["ops"], subject: "busy-operator"));
        using var other = limited.Host.ClientWith(limited.Host.Keys.Token(["ops"], subject: "other-operator"));

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? refused = null;
        for (var i = 0; i < 6 && refused is null; i++)
        {
            var response = await busy.GetAsync(new Uri("/api/me", UriKind.Relative), TestContext.Current.CancellationToken);
            statuses.Add(response.StatusCode);
            refused = response.StatusCode == HttpStatusCode.TooManyRequests ? response : null;
        }

        Assert.NotNull(refused);
        Assert.True(statuses.Count(s => s == HttpStatusCode.OK) >= 3, string.Join(", ", statuses));
        Assert.True(refused.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        Assert.Equal("/problems/rate-limited", (string?)(await refused.Content.ReadFromJsonAsync<JsonObject>(TestContext.Current.CancellationToken))!["type"]);
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync(new Uri("/api/me", UriKind.Relative), TestContext.Current.CancellationToken)).StatusCode);
    }
}
