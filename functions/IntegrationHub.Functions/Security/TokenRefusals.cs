using System.Globalization;
using IntegrationHub.Functions.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace IntegrationHub.Functions.Security;

/// <summary>Why a token was refused: the problem type and the hub's own words for it.</summary>
/// <param name="Problem">The problem type, e.g. <c>token-expired</c>.</param>
/// <param name="Detail">What the caller reads; never the library's internal message.</param>
internal sealed record TokenRefusal(string Problem, string Detail);

/// <summary>
/// Turns the library's refusal of a token into the hub's problem types. The library has already
/// refused it; the token is read here only to say why in terms a caller can act on (an encrypted
/// token, or an algorithm the hub does not accept, <c>none</c> included).
/// </summary>
internal static class TokenRefusals
{
    public static TokenRefusal Classify(string? token, Exception? failure, IEnumerable<string>? accepted)
    {
        var algorithms = accepted?.ToList() ?? [];
        if (token is not null && token.Count(c => c == '.') == 4)
        {
            return new(Problems.TokenEncrypted, "The token is encrypted (JWE, five segments); only signed tokens (JWS) are accepted.");
        }

        if (failure is SecurityTokenDecryptionFailedException or SecurityTokenEncryptionKeyNotFoundException)
        {
            return new(Problems.TokenEncrypted, "The token is encrypted (JWE); only signed tokens (JWS) are accepted.");
        }

        if (token is not null && HeaderAlgorithm(token) is var (readable, algorithm))
        {
            if (!readable)
            {
                return new(Problems.TokenMalformed, "The token is not three base64url segments with a JSON header.");
            }

            if (algorithm is null || !algorithms.Contains(algorithm, StringComparer.Ordinal))
            {
                return new(Problems.TokenAlgorithm, $"The token is signed with '{algorithm ?? "(none)"}'; accepted: {string.Join(", ", algorithms)}.");
            }
        }

        return failure switch
        {
            SecurityTokenNoExpirationException => new(Problems.TokenExpired, "The token has no expiry (exp)."),
            SecurityTokenExpiredException expired => new(Problems.TokenExpired, $"The token expired at {Instant(expired.Expires)}."),
            SecurityTokenNotYetValidException early => new(Problems.TokenNotYetValid, $"The token is valid from {Instant(early.NotBefore)}."),
            SecurityTokenInvalidIssuerException => new(Problems.TokenIssuer, "The token's issuer (iss) is not the one this hub trusts."),
            SecurityTokenInvalidAudienceException => new(Problems.TokenAudience, "The token's audience (aud) is not this hub."),
            SecurityTokenInvalidAlgorithmException => new(Problems.TokenAlgorithm, $"The token's algorithm does not match its key; accepted: {string.Join(", ", algorithms)}."),
            SecurityTokenSignatureKeyNotFoundException => new(Problems.TokenSignature, "The token's key id (kid) names no key of the hub's key set."),
            SecurityTokenInvalidSignatureException => new(Problems.TokenSignature, "The token's signature does not verify with the hub's key set: it was signed by another key, or changed after signing."),
            _ => new(Problems.TokenMalformed, "The token cannot be read as a signed JWT."),
        };
    }

    private static string Instant(DateTime at) => new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)).ToString("O", CultureInfo.InvariantCulture);

    /// <summary>The header's <c>alg</c>: (false, null) when the token cannot be read at all.</summary>
    private static (bool Readable, string? Algorithm) HeaderAlgorithm(string token)
    {
        try
        {
            var jwt = new JsonWebToken(token);
            return (true, string.IsNullOrEmpty(jwt.Alg) ? null : jwt.Alg);
        }
        catch (Exception ex) when (ex is ArgumentException or SecurityTokenException)
        {
            return (false, null);
        }
    }
}
