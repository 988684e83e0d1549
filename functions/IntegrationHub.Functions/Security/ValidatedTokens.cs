using System.Security.Claims;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;

namespace IntegrationHub.Functions.Security;

/// <summary>A token that passed every check: who it says the caller is, and when it may be used.</summary>
/// <param name="Identity">The caller's claims.</param>
/// <param name="ValidFrom">Its <c>nbf</c>, when it has one.</param>
/// <param name="ValidTo">Its <c>exp</c>.</param>
internal sealed record ValidatedToken(ClaimsIdentity Identity, DateTimeOffset? ValidFrom, DateTimeOffset ValidTo)
{
    /// <summary>What the hub remembers of a token the library validated.</summary>
    public static ValidatedToken Of(ClaimsIdentity identity, JsonWebToken jwt) =>
        new(identity, jwt.TryGetPayloadValue<long>("nbf", out _) ? jwt.ValidFrom : null, jwt.ValidTo);

    /// <summary>Whether the token may be used at <paramref name="now"/>, with the clock skew allowed.</summary>
    public bool UsableAt(DateTimeOffset now, TimeSpan skew) => ValidTo + skew >= now && (ValidFrom is not { } from || from - skew <= now);
}

/// <summary>
/// Tokens that passed every check, remembered for <see cref="SecurityOptions.ValidatedTokenMemory"/>
/// (never past their expiry), so that a caller's token is verified once rather than on every call.
/// Bounded in count; keyed by the token itself.
/// </summary>
internal sealed class ValidatedTokens(IOptions<SecurityOptions> options, TimeProvider time) : IDisposable
{
    private readonly MemoryCache remembered = new(new MemoryCacheOptions { SizeLimit = 20_000 });

    public bool TryGet(string token, out ValidatedToken? validated) => remembered.TryGetValue(token, out validated);

    public void Remember(string token, ValidatedToken validated)
    {
        var until = validated.ValidTo - time.GetUtcNow();
        var memory = until < options.Value.ValidatedTokenMemory ? until : options.Value.ValidatedTokenMemory;
        if (memory > TimeSpan.Zero)
        {
            remembered.Set(token, validated, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = memory });
        }
    }

    public void Dispose() => remembered.Dispose();
}
