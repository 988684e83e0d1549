using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace IntegrationHub.Functions.Security;

/// <summary>
/// A local signing key for development: created at first use under a directory (the private key
/// and a public JWKS beside it), so that the run command's users can mint tokens for every role.
/// Refused outside the Development environment.
/// </summary>
internal sealed class DevelopmentKeys
{
    public const string Issuer = "https://localhost/integrationhub-dev";
    public const string Audience = "integrationhub";
    private const string PrivateKeyFile = "signing-key.json";
    private const string PublicKeySetFile = "jwks.json";

    private DevelopmentKeys(string directory, RsaSecurityKey key)
    {
        Directory = directory;
        Key = key;
    }

    public string Directory { get; }

    public RsaSecurityKey Key { get; }

    public string PublicKeySetPath => Path.Combine(Directory, PublicKeySetFile);

    /// <summary>Loads the development key, creating it on first use; <paramref name="created"/> says which.</summary>
    /// <exception cref="InvalidOperationException">The environment is not Development.</exception>
    public static DevelopmentKeys LoadOrCreate(string directory, string environmentName, out bool created)
    {
        if (!string.Equals(environmentName, Environments.Development, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Development tokens are refused in the '{environmentName}' environment; they exist only in Development (set DOTNET_ENVIRONMENT=Development).");
        }

        var full = Path.GetFullPath(directory);
        var privatePath = Path.Combine(full, PrivateKeyFile);
        created = !File.Exists(privatePath);
        if (created)
        {
            System.IO.Directory.CreateDirectory(full);
            using var rsa = RSA.Create(2048);
            var parameters = rsa.ExportParameters(includePrivateParameters: true);
            var kid = Convert.ToHexStringLower(SHA256.HashData(parameters.Modulus!))[..16];
            var jwk = new JsonObject
            {
                ["kty"] = "RSA", ["kid"] = kid, ["alg"] = "RS256", ["use"] = "sig",
                ["n"] = Base64UrlEncoder.Encode(parameters.Modulus), ["e"] = Base64UrlEncoder.Encode(parameters.Exponent),
                ["d"] = Base64UrlEncoder.Encode(parameters.D), ["p"] = Base64UrlEncoder.Encode(parameters.P),
                ["q"] = Base64UrlEncoder.Encode(parameters.Q), ["dp"] = Base64UrlEncoder.Encode(parameters.DP),
                ["dq"] = Base64UrlEncoder.Encode(parameters.DQ), ["qi"] = Base64UrlEncoder.Encode(parameters.InverseQ),
            };
            File.WriteAllText(privatePath, jwk.ToJsonString());
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(privatePath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            var publicJwk = new JsonObject { ["kty"] = "RSA", ["kid"] = kid, ["alg"] = "RS256", ["use"] = "sig", ["n"] = jwk["n"]!.DeepClone(), ["e"] = jwk["e"]!.DeepClone() };
            File.WriteAllText(Path.Combine(full, PublicKeySetFile), new JsonObject { ["keys"] = new JsonArray(publicJwk) }.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        }

        var stored = new JsonWebKey(File.ReadAllText(privatePath));
        var key = new RsaSecurityKey(new RSAParameters
        {
            Modulus = Base64UrlEncoder.DecodeBytes(stored.N), Exponent = Base64UrlEncoder.DecodeBytes(stored.E),
            D = Base64UrlEncoder.DecodeBytes(stored.D), P = Base64UrlEncoder.DecodeBytes(stored.P), Q = Base64UrlEncoder.DecodeBytes(stored.Q),
            DP = Base64UrlEncoder.DecodeBytes(stored.DP), DQ = Base64UrlEncoder.DecodeBytes(stored.DQ), InverseQ = Base64UrlEncoder.DecodeBytes(stored.QI),
        }) { KeyId = stored.Kid };
        return new DevelopmentKeys(full, key);
    }

    /// <summary>Mints a token for a caller with roles.</summary>
    public string Mint(TokenRequest request, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        var claims = new Dictionary<string, object>
        {
            ["sub"] = request.Subject,
            ["name"] = request.Name ?? request.Subject,
            [HubRoles.ClaimType] = request.Roles.ToArray(),
        };
        if (!string.IsNullOrEmpty(request.Unit))
        {
            claims["unit"] = request.Unit;
        }

        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = request.Issuer ?? Issuer,
            Audience = request.Audience ?? Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + request.Lifetime).UtcDateTime,
            Claims = claims,
            SigningCredentials = new SigningCredentials(Key, SecurityAlgorithms.RsaSha256),
        });
    }
}

/// <summary>What a development token says.</summary>
/// <param name="Subject">The account (<c>sub</c>).</param>
/// <param name="Roles">The roles, e.g. <c>ops</c>, <c>department:STP</c>.</param>
/// <param name="Lifetime">How long it is valid.</param>
internal sealed record TokenRequest(string Subject, IReadOnlyList<string> Roles, TimeSpan Lifetime)
{
    public string? Name { get; init; }

    public string? Unit { get; init; }

    public string? Issuer { get; init; }

    public string? Audience { get; init; }
}
