using System.Buffers.Text;
using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Text.Json;
using IntegrationHub.Functions.Http;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace IntegrationHub.Functions.Security;

/// <summary>
/// Bearer-token authentication over <see cref="JsonWebTokenHandler"/> (Microsoft.IdentityModel 6.x).
/// Encrypted tokens (five segments) and tokens whose header names an algorithm outside the
/// configured list (<c>none</c> included) are refused before the handler reads them: the 6.x
/// packages predate the fix for CVE-2024-21319 (JWE decompression). Lifetime is checked against
/// the hub's <see cref="TimeProvider"/> with the configured clock skew.
/// </summary>
internal sealed class JwtBearerHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    IOptions<SecurityOptions> security,
    JwksKeySource keySource,
    ValidatedTokens validatedTokens,
    TimeProvider time)
    : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, loggerFactory, encoder)
{
    public const string SchemeName = "Bearer";
    private const string FailureKey = "hub.token-failure";
    private static readonly JsonWebTokenHandler Tokens = new();

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header))
        {
            return AuthenticateResult.NoResult();
        }

        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return Fail(Problems.TokenMissing, "The Authorization header does not carry a Bearer token.");
        }

        var token = header["Bearer ".Length..].Trim();
        if (validatedTokens.TryGet(token, out var known))
        {
            return Accept(known!);
        }

        var segments = token.Count(c => c == '.') + 1;
        if (segments == 5)
        {
            return Fail(Problems.TokenEncrypted, "The token has five segments (JWE); only signed tokens are accepted.");
        }

        if (segments != 3 || token.Length > 16 * 1024)
        {
            return Fail(Problems.TokenMalformed, "The token is not three base64url segments.");
        }

        var algorithm = ReadAlgorithm(token);
        if (algorithm is null)
        {
            return Fail(Problems.TokenMalformed, "The token's header cannot be read.");
        }

        if (!security.Value.Algorithms.Contains(algorithm, StringComparer.Ordinal))
        {
            return Fail(Problems.TokenAlgorithm, $"The token is signed with '{algorithm}'; accepted: {string.Join(", ", security.Value.Algorithms)}.");
        }

        var result = await ValidateAsync(token);
        if (!result.IsValid && result.Exception is SecurityTokenSignatureKeyNotFoundException && await keySource.RefreshForUnknownKeyAsync(Context.RequestAborted))
        {
            result = await ValidateAsync(token);
        }

        if (!result.IsValid)
        {
            return Fail(Classify(result.Exception), result.Exception?.Message ?? "The token is not valid.");
        }

        var jwt = (JsonWebToken)result.SecurityToken;
        if (!jwt.TryGetPayloadValue<long>("exp", out _))
        {
            return Fail(Problems.TokenExpired, "The token has no expiry (exp).");
        }

        var validated = new ValidatedToken(result.ClaimsIdentity, jwt.TryGetPayloadValue<long>("nbf", out _) ? jwt.ValidFrom : null, jwt.ValidTo);
        var accepted = Accept(validated);
        if (accepted.Succeeded)
        {
            validatedTokens.Remember(token, validated);
        }

        return accepted;
    }

    /// <summary>A token that passed every other check, accepted if it may be used now.</summary>
    private AuthenticateResult Accept(ValidatedToken token)
    {
        var now = time.GetUtcNow();
        var skew = security.Value.ClockSkew;
        if (token.ValidTo + skew < now)
        {
            return Fail(Problems.TokenExpired, $"The token expired at {token.ValidTo:O}.");
        }

        if (token.ValidFrom is { } from && from - skew > now)
        {
            return Fail(Problems.TokenNotYetValid, $"The token is valid from {from:O}.");
        }

        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(token.Identity.Clone()), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var (problem, detail) = Context.Items[FailureKey] as (string, string)? ?? (Problems.TokenMissing, "This call needs a bearer token.");
        Response.Headers.WWWAuthenticate = problem == Problems.TokenMissing ? "Bearer" : $"Bearer error=\"invalid_token\", error_description=\"{problem}\"";
        return Problems.WriteAsync(Context, Problems.Create(problem, detail));
    }

    private async Task<TokenValidationResult> ValidateAsync(string token)
    {
        var options = security.Value;
        var parameters = new TokenValidationParameters
        {
            ValidIssuer = options.Issuer,
            ValidAudience = options.Audience,
            IssuerSigningKeys = await keySource.GetKeysAsync(Context.RequestAborted),
            ValidAlgorithms = options.Algorithms,
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateLifetime = false, // checked below against the hub's clock
            RoleClaimType = HubRoles.ClaimType,
            NameClaimType = "name",
        };
        return Tokens.ValidateToken(token, parameters);
    }

    private AuthenticateResult Fail(string problem, string detail)
    {
        Context.Items[FailureKey] = (problem, detail);
        Log.TokenRefused(Logger, problem, detail);
        return AuthenticateResult.Fail(detail);
    }

    private static string Classify(Exception? exception) => exception switch
    {
        SecurityTokenInvalidIssuerException => Problems.TokenIssuer,
        SecurityTokenInvalidAudienceException => Problems.TokenAudience,
        SecurityTokenInvalidAlgorithmException => Problems.TokenAlgorithm,
        SecurityTokenInvalidSignatureException or SecurityTokenSignatureKeyNotFoundException => Problems.TokenSignature,
        SecurityTokenExpiredException => Problems.TokenExpired,
        SecurityTokenNotYetValidException => Problems.TokenNotYetValid,
        _ => Problems.TokenMalformed,
    };

    private static string? ReadAlgorithm(string token)
    {
        var encoded = token.AsSpan(0, token.IndexOf('.', StringComparison.Ordinal));
        var buffer = new byte[Base64Url.GetMaxDecodedLength(encoded.Length)];
        if (!Base64Url.TryDecodeFromChars(encoded, buffer, out var written))
        {
            return null;
        }

        try
        {
            using var header = JsonDocument.Parse(buffer.AsMemory(0, written));
            return header.RootElement.ValueKind == JsonValueKind.Object
                && header.RootElement.TryGetProperty("alg", out var alg)
                && alg.ValueKind == JsonValueKind.String
                    ? alg.GetString()
                    : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
