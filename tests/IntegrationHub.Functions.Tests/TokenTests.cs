using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.Tokens;

namespace IntegrationHub.Functions.Tests;

[Trait("Category", "Security")]
public sealed class TokenTests(HostFixture host) : IClassFixture<HostFixture>
{
    private static readonly string[] Officer = ["officer"];

    public static TheoryData<string, string> RefusedTokens() => new()
    {
        { "expired", "token-expired" },
        { "not-yet-valid", "token-not-yet-valid" },
        { "wrong-issuer", "token-issuer" },
        { "wrong-audience", "token-audience" },
        { "wrong-key", "token-signature" },
        { "alg-none", "token-algorithm" },
        { "hs256", "token-algorithm" },
        { "jwe", "token-encrypted" },
        { "tampered", "token-signature" },
        { "garbage", "token-malformed" },
        { "key-confusion", "token-algorithm" },
        { "unknown-key-id", "token-signature" },
    };

    [Theory]
    [MemberData(nameof(RefusedTokens))]
    public async Task Get_RefusedToken_Is401WithItsProblemType(string kind, string problemType)
    {
        var response = await host.ClientWith(Make(kind)).GetAsync(new Uri("/api/me", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>(TestContext.Current.CancellationToken);
        Assert.Equal($"/problems/{problemType}", (string?)problem!["type"]);
        Assert.Contains("invalid_token", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace((string?)problem["detail"]));
        Assert.DoesNotContain("IDX", (string?)problem["detail"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_NoToken_Is401TokenMissing()
    {
        var response = await host.ClientWith(null).GetAsync(new Uri("/api/me", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("/problems/token-missing", (string?)(await response.Content.ReadFromJsonAsync<JsonObject>(TestContext.Current.CancellationToken))!["type"]);
    }

    [Theory]
    [InlineData(SecurityAlgorithms.RsaSha256)]
    [InlineData(SecurityAlgorithms.EcdsaSha256)]
    public async Task Get_ValidTokenOfEitherAlgorithm_SaysWhoTheCallerIs(string algorithm)
    {
        var token = host.Keys.Token(["department:STP"], subject: "stp-system", key: algorithm == SecurityAlgorithms.RsaSha256 ? host.Keys.Rsa : host.Keys.Ec, algorithm: algorithm);

        var me = await host.ClientWith(token).GetFromJsonAsync<JsonObject>(new Uri("/api/me", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal("stp-system", (string?)me!["subject"]);
        Assert.Equal("STP", (string?)me["departments"]![0]);
    }

    [Fact]
    public async Task Get_ExpiredWithinTheClockSkew_IsAccepted()
    {
        var now = TimeProvider.System.GetUtcNow();
        var token = host.Keys.Token(Officer, notBefore: now.AddMinutes(-5), expires: now.AddSeconds(-10));

        var response = await host.ClientWith(token).GetAsync(new Uri("/api/me", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Post_OfficerCallWithoutTheOfficerRole_Is403NamingTheRole()
    {
        var response = await host.ClientWith(host.Keys.Token(["department:STP"])).PostAsJsonAsync(
            new Uri("/api/identity/verifications", UriKind.Relative),
            new { citizenId = "001090012345", fullName = "Trần Văn An", birthDate = "1990-01-01", purpose = "1.010819" }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>(TestContext.Current.CancellationToken);
        Assert.Equal("/problems/forbidden", (string?)problem!["type"]);
        Assert.Equal("officer", (string?)problem["requiredRole"]);
    }

    private string Make(string kind)
    {
        var now = TimeProvider.System.GetUtcNow();
        return kind switch
        {
            "expired" => host.Keys.Token(Officer, notBefore: now.AddHours(-2), expires: now.AddHours(-1)),
            "not-yet-valid" => host.Keys.Token(Officer, notBefore: now.AddHours(1), expires: now.AddHours(2)),
            "wrong-issuer" => host.Keys.Token(Officer, issuer: "https://evil.example"),
            "wrong-audience" => host.Keys.Token(Officer, audience: "another-system"),
            "wrong-key" => host.Keys.Token(Officer, key: host.Keys.Stranger),
            "alg-none" => TestKeys.Unsigned(Officer),
            "hs256" => host.Keys.Token(Officer, key: new SymmetricSecurityKey(new byte[32]) { KeyId = "rsa-1" }, algorithm: SecurityAlgorithms.HmacSha256),
            "jwe" => "eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.a.b.c.d",
            "tampered" => host.Keys.Tampered(Officer, ["ops"]),
            "garbage" => "not-a-token",
            "key-confusion" => host.Keys.KeyConfusion(Officer),
            "unknown-key-id" => host.Keys.Token(Officer, key: new RsaSecurityKey(host.Keys.Stranger.Rsa) { KeyId = "rotated-away" }),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
    }
}
