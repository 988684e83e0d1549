using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.Tokens;

namespace IntegrationHub.Functions.Tests;

/// <summary>
/// The key set read from a URL (<c>Security:JwksUrl</c>) whose server stops answering: the requests
/// go on with the keys the hub has, and a read for an unknown key id gives up after
/// <c>Security:JwksTimeout</c> instead of holding the request for the HTTP client's 100 seconds;
/// readiness says whether the hub holds keys, and since when it cannot read them.
/// </summary>
[Trait("Category", "Security")]
public sealed class KeyServerTests : IAsyncLifetime
{
    private static readonly string[] Ops = ["ops"];
    private readonly FakeTimeProvider clock = new(TimeProvider.System.GetUtcNow());
    private readonly HostFixture host;
    private readonly RSA unpublished = RSA.Create(2048);
    private KeyServer server = null!;

    public KeyServerTests() => host = new HostFixture { Clock = clock };

    public async ValueTask InitializeAsync()
    {
        server = await KeyServer.StartAsync(host.Keys.JwksPath);
        host.Settings["Security:JwksPath"] = "";
        host.Settings["Security:JwksUrl"] = server.Url.ToString();
    }

    [Fact]
    public async Task Get_WhenTheScheduledReadHangs_IsAnsweredWithTheKeysTheHubHas()
    {
        host.Settings["Security:JwksTimeout"] = "00:02:00";
        Assert.Equal(HttpStatusCode.OK, (await MeAsync(Known())).StatusCode);
        server.Answering = false;
        clock.Advance(TimeSpan.FromMinutes(11)); // past Security:JwksRefreshInterval (10 min): the set is due to be read again

        var response = await MeAsync(Known());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(await server.HoldsAReadAsync(), "the hub did not read the key set again when it was due");
        Assert.Equal(0, server.Abandoned); // the read was still open when the request was answered: it did not wait for it
    }

    [Fact]
    public async Task Get_TokenOfAnUnknownKeyWhileTheServerHangs_Is401AfterTheTimeoutAndTheKnownKeysStillHold()
    {
        host.Settings["Security:JwksTimeout"] = "00:00:01";
        Assert.Equal(HttpStatusCode.OK, (await MeAsync(Known())).StatusCode);
        server.Answering = false;
        clock.Advance(TimeSpan.FromSeconds(31)); // past the 30 s between reads for an unknown key id

        var unknown = await MeAsync(host.Keys.Token(Ops, key: new RsaSecurityKey(unpublished) { KeyId = "rsa-unpublished" }, expires: clock.GetUtcNow().AddHours(1)));

        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        var problem = (await unknown.Content.ReadFromJsonAsync<JsonObject>(TestContext.Current.CancellationToken))!;
        Assert.Equal("/problems/token-signature", (string?)problem["type"]);
        Assert.True(server.Abandoned >= 1, "the hub did not give up its read of the key set");
        Assert.Equal(HttpStatusCode.OK, (await MeAsync(Known())).StatusCode);
        var (status, keys) = await ReadinessOfKeysAsync();
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True((bool)keys["ready"]!);
        Assert.StartsWith("the key set cannot be read since ", (string?)keys["detail"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ready_WhenNoKeyCouldEverBeRead_Is503NamingTheKeys()
    {
        host.Settings["Security:JwksTimeout"] = "00:00:01";
        server.Answering = false;

        var (status, keys) = await ReadinessOfKeysAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.False((bool)keys["ready"]!);
        Assert.StartsWith("no signing key could be read (failing since ", (string?)keys["detail"], StringComparison.Ordinal);
        Assert.DoesNotContain("127.0.0.1", keys.ToJsonString(), StringComparison.Ordinal);
        server.Answering = true;
        clock.Advance(TimeSpan.FromSeconds(31)); // past the 30 s before a failed read is tried again
        Assert.Equal(HttpStatusCode.OK, (await ReadinessOfKeysAsync()).Status);
    }

    public async ValueTask DisposeAsync()
    {
        await server.DisposeAsync();
        await host.DisposeAsync();
        unpublished.Dispose();
    }

    private string Known() => host.Keys.Token(Ops, expires: clock.GetUtcNow().AddHours(1));

    private async Task<(HttpStatusCode Status, JsonObject Keys)> ReadinessOfKeysAsync()
    {
        using var anonymous = host.CreateClient();
        var response = await anonymous.GetAsync(new Uri("/health/ready", UriKind.Relative), TestContext.Current.CancellationToken);
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>(TestContext.Current.CancellationToken))!;
        return (response.StatusCode, body["checks"]!["keys"]!.AsObject());
    }

    private async Task<HttpResponseMessage> MeAsync(string token)
    {
        using var client = host.ClientWith(token);
        return await client.GetAsync(new Uri("/api/me", UriKind.Relative), TestContext.Current.CancellationToken);
    }

    /// <summary>A JWKS URL on loopback serving the test keys' file, or holding each read open while it does not answer.</summary>
    private sealed class KeyServer : IAsyncDisposable
    {
        private readonly WebApplication app;
        private readonly CancellationTokenSource release = new();
        private int held;
        private int abandoned;

        private KeyServer(WebApplication app) => this.app = app;

        public bool Answering { get; set; } = true;

        /// <summary>Reads the hub gave up on (it closed the connection) while the server held them.</summary>
        public int Abandoned => Volatile.Read(ref abandoned);

        public Uri Url => new(app.Urls.First() + "/jwks");

        public static async Task<KeyServer> StartAsync(string jwksPath)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var server = new KeyServer(builder.Build());
            server.app.MapGet("/jwks", async (HttpContext context) =>
            {
                if (server.Answering)
                {
                    return Results.Text(await File.ReadAllTextAsync(jwksPath, context.RequestAborted), "application/json");
                }

                return await server.HoldAsync(context.RequestAborted);
            });
            await server.app.StartAsync(TestContext.Current.CancellationToken);
            return server;
        }

        /// <summary>Waits (5 s at most) until a read of the key set is being held open.</summary>
        public async Task<bool> HoldsAReadAsync()
        {
            for (var i = 0; i < 50 && Volatile.Read(ref held) == 0; i++)
            {
                await Task.Delay(100, TestContext.Current.CancellationToken);
            }

            return Volatile.Read(ref held) > 0;
        }

        public async ValueTask DisposeAsync()
        {
            await release.CancelAsync();
            await app.DisposeAsync();
            release.Dispose();
        }

        private async Task<IResult> HoldAsync(CancellationToken aborted)
        {
            Interlocked.Increment(ref held);
            using var either = CancellationTokenSource.CreateLinkedTokenSource(aborted, release.Token);
            try
            {
                await Task.Delay(Timeout.Infinite, either.Token);
            }
            catch (OperationCanceledException) when (aborted.IsCancellationRequested)
            {
                Interlocked.Increment(ref abandoned);
            }
            catch (OperationCanceledException)
            {
                // released when the test ends
            }

            return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
        }
    }
}
