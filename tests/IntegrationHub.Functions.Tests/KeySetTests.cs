using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.Tokens;

namespace IntegrationHub.Functions.Tests;

/// <summary>
/// The key set as the issuer rotates it: a token signed with a new key is accepted as soon as the key
/// is published, and a key set that cannot be read leaves the last good keys in force.
/// </summary>
[Trait("Category", "Security")]
public sealed class KeySetTests : IDisposable
{
    private static readonly string[] Ops = ["ops"];
    private readonly FakeTimeProvider clock = new(TimeProvider.System.GetUtcNow());
    private readonly HostFixture host;
    private readonly RSA rotated = RSA.Create(2048);

    public KeySetTests() => host = new HostFixture { Clock = clock };

    [Fact]
    public async Task Get_TokenOfAKeyPublishedAfterStart_IsAcceptedInTheSameRequest()
    {
        Assert.Equal(HttpStatusCode.OK, (await MeAsync(host.Keys.Token(Ops, expires: clock.GetUtcNow().AddHours(1)))).StatusCode);
        host.Keys.RewriteKeySet(rotated, "rsa-2");
        clock.Advance(TimeSpan.FromSeconds(31));

        var response = await MeAsync(Rotated("after-rotation"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Get_AfterTheKeySetBecameUnreadable_TheLastGoodKeysStillHold()
    {
        host.Keys.RewriteKeySet(rotated, "rsa-2");
        Assert.Equal(HttpStatusCode.OK, (await MeAsync(Rotated("before"))).StatusCode);
        host.Keys.RewriteKeySet(null, unreadable: true);
        clock.Advance(TimeSpan.FromMinutes(11)); // past Security:JwksRefreshInterval (10 min): the set is read again and fails

        var response = await MeAsync(Rotated("after"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Get_TokenOfAKeyNeverPublished_Is401SignatureWithoutTheLibrarysMessage()
    {
        var response = await MeAsync(Rotated("never-published"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>(TestContext.Current.CancellationToken))!;
        Assert.Equal("/problems/token-signature", (string?)problem["type"]);
        Assert.Equal("The token's key id (kid) names no key of the hub's key set.", (string?)problem["detail"]);
    }

    public void Dispose()
    {
        host.Dispose();
        rotated.Dispose();
    }

    private string Rotated(string subject) =>
        host.Keys.Token(Ops, subject: subject, key: new RsaSecurityKey(rotated) { KeyId = "rsa-2" }, notBefore: clock.GetUtcNow().AddMinutes(-1), expires: clock.GetUtcNow().AddHours(1));

    private async Task<HttpResponseMessage> MeAsync(string token)
    {
        using var client = host.ClientWith(token);
        return await client.GetAsync(new Uri("/api/me", UriKind.Relative));
    }
}
