using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace IntegrationHub.Testing;

/// <summary>Signing keys for tests: an RSA and an EC key the hub trusts (in a JWKS file), and one it does not.</summary>
public sealed class TestKeys : IDisposable
{
    public const string Issuer = "https://id.test.hanoi.gov.vn";
    public const string Audience = "integrationhub-test";

    private readonly RSA rsa = RSA.Create(2048);
    private readonly ECDsa ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly RSA stranger = RSA.Create(2048);
    private readonly string initialSet;

    public TestKeys()
    {
        Rsa = new RsaSecurityKey(rsa) { KeyId = "rsa-1" };
        Ec = new ECDsaSecurityKey(ec) { KeyId = "ec-1" };
        Stranger = new RsaSecurityKey(stranger) { KeyId = "rsa-1" };
        JwksPath = Path.Combine(Path.GetTempPath(), $"hub-test-jwks-{Guid.NewGuid():N}.json");
        var rsaPublic = rsa.ExportParameters(false);
        var ecPublic = ec.ExportParameters(false);
        var jwks = new JsonObject
        {
            ["keys"] = new JsonArray(
                new JsonObject { ["kty"] = "RSA", ["kid"] = "rsa-1", ["use"] = "sig", ["alg"] = "RS256", ["n"] = Base64UrlEncoder.Encode(rsaPublic.Modulus), ["e"] = Base64UrlEncoder.Encode(rsaPublic.Exponent) },
                new JsonObject { ["kty"] = "EC", ["kid"] = "ec-1", ["use"] = "sig", ["alg"] = "ES256", ["crv"] = "P-256", ["x"] = Base64UrlEncoder.Encode(ecPublic.Q.X), ["y"] = Base64UrlEncoder.Encode(ecPublic.Q.Y) }),
        };
        initialSet = jwks.ToJsonString();
        File.WriteAllText(JwksPath, initialSet);
    }

    public RsaSecurityKey Rsa { get; }

    public ECDsaSecurityKey Ec { get; }

    /// <summary>An RSA key with the trusted key's id that the hub does not have.</summary>
    public RsaSecurityKey Stranger { get; }

    public string JwksPath { get; }

    public string Token(
        string[] roles,
        string subject = "officer-01",
        string? issuer = null,
        string? audience = null,
        DateTimeOffset? notBefore = null,
        DateTimeOffset? expires = null,
        SecurityKey? key = null,
        string algorithm = SecurityAlgorithms.RsaSha256,
        string? unit = "Bộ phận Một cửa",
        string? name = null)
    {
        var now = TimeProvider.System.GetUtcNow();
        var claims = new Dictionary<string, object> { ["sub"] = subject, ["name"] = name ?? subject, ["roles"] = roles };
        if (unit is not null)
        {
            claims["unit"] = unit;
        }

        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer ?? Issuer,
            Audience = audience ?? Audience,
            NotBefore = (notBefore ?? now.AddMinutes(-1)).UtcDateTime,
            IssuedAt = (notBefore ?? now.AddMinutes(-1)).UtcDateTime,
            Expires = (expires ?? now.AddMinutes(10)).UtcDateTime,
            Claims = claims,
            SigningCredentials = new SigningCredentials(key ?? Rsa, algorithm),
        });
    }

    /// <summary>A token with <c>alg: none</c> and no signature.</summary>
    public static string Unsigned(string[] roles)
    {
        var header = Base64UrlEncoder.Encode("""{"alg":"none","typ":"JWT"}""");
        var exp = TimeProvider.System.GetUtcNow().AddMinutes(10).ToUnixTimeSeconds();
        var payload = Base64UrlEncoder.Encode($$"""{"iss":"{{Issuer}}","aud":"{{Audience}}","sub":"x","exp":{{exp}},"roles":["{{string.Join("\",\"", roles)}}"]}""");
        return $"{header}.{payload}.";
    }

    /// <summary>
    /// A key-confusion attempt: HS256 signed with the trusted RSA key's public key as the HMAC secret,
    /// under that key's id, as if the hub would take a public key for a shared secret.
    /// </summary>
    public string KeyConfusion(string[] roles)
    {
        var secret = Encoding.UTF8.GetBytes(rsa.ExportSubjectPublicKeyInfoPem());
        return Token(roles, key: new SymmetricSecurityKey(secret) { KeyId = "rsa-1" }, algorithm: SecurityAlgorithms.HmacSha256);
    }

    /// <summary>Writes a key set with the trusted keys and <paramref name="more"/> (a rotation), or unreadable text.</summary>
    public void RewriteKeySet(RSA? more, string? moreKeyId = null, bool unreadable = false)
    {
        if (unreadable)
        {
            File.WriteAllText(JwksPath, "{ \"keys\": [ this is not JSON");
            return;
        }

        var keys = JsonNode.Parse(File.Exists(JwksPath) && !File.ReadAllText(JwksPath).Contains("not JSON", StringComparison.Ordinal) ? File.ReadAllText(JwksPath) : initialSet)!["keys"]!.AsArray();
        if (more is not null)
        {
            var parameters = more.ExportParameters(false);
            keys.Add(new JsonObject { ["kty"] = "RSA", ["kid"] = moreKeyId, ["use"] = "sig", ["alg"] = "RS256", ["n"] = Base64UrlEncoder.Encode(parameters.Modulus), ["e"] = Base64UrlEncoder.Encode(parameters.Exponent) });
        }

        File.WriteAllText(JwksPath, new JsonObject { ["keys"] = keys.DeepClone() }.ToJsonString());
    }

    /// <summary>A valid token whose payload was changed after signing.</summary>
    public string Tampered(string[] roles, string[] claimedRoles)
    {
        var parts = Token(roles).Split('.');
        var payload = JsonNode.Parse(Base64UrlEncoder.Decode(parts[1]))!.AsObject();
        payload["roles"] = new JsonArray([.. claimedRoles.Select(r => (JsonNode)r)]);
        return $"{parts[0]}.{Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(payload.ToJsonString()))}.{parts[2]}";
    }

    public void Dispose()
    {
        rsa.Dispose();
        ec.Dispose();
        stranger.Dispose();
        File.Delete(JwksPath);
    }
}
