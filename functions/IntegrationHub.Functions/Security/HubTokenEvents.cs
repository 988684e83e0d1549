using System.Security.Claims;
using IntegrationHub.Functions.Http;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace IntegrationHub.Functions.Security;

/// <summary>
/// What the hub adds to the JWT bearer handler through its events: a token that passed every check
/// is remembered (<see cref="ValidatedTokens"/>) and not verified again while it may be used; a
/// token signed with a key id the hub does not know has the key set read again and is checked once
/// more in the same request; and every refusal is answered with its own problem type
/// (<see cref="TokenRefusals"/>), never with the library's message.
/// </summary>
internal sealed class HubTokenEvents(ValidatedTokens validatedTokens, JwksKeySource keys, TimeProvider time, ILogger<HubTokenEvents> logger) : JwtBearerEvents
{
    private const string RefusalKey = "hub.token-refusal";

    public override Task MessageReceived(MessageReceivedContext context)
    {
        if (BearerToken(context.Request) is { } token && validatedTokens.TryGet(token, out var known) && known!.UsableAt(time.GetUtcNow(), context.Options.TokenValidationParameters.ClockSkew))
        {
            context.Principal = new ClaimsPrincipal(known.Identity.Clone());
            context.Success();
        }

        return Task.CompletedTask;
    }

    public override Task TokenValidated(TokenValidatedContext context)
    {
        if (context.SecurityToken is JsonWebToken jwt && context.Principal?.Identity is ClaimsIdentity identity)
        {
            validatedTokens.Remember(jwt.EncodedToken, ValidatedToken.Of(identity, jwt));
        }

        return Task.CompletedTask;
    }

    public override async Task AuthenticationFailed(AuthenticationFailedContext context)
    {
        // The issuer may have rotated its keys: read the set again (rate-limited) and check once more.
        if (context.Exception is SecurityTokenSignatureKeyNotFoundException
            && BearerToken(context.Request) is { } token
            && await keys.RefreshForUnknownKeyAsync())
        {
            var parameters = context.Options.TokenValidationParameters.Clone();
            parameters.IssuerSigningKeys = (await keys.GetConfigurationAsync(context.HttpContext.RequestAborted)).SigningKeys;
            var result = await context.Options.TokenHandlers[0].ValidateTokenAsync(token, parameters);
            if (result.IsValid && result.SecurityToken is JsonWebToken jwt)
            {
                validatedTokens.Remember(token, ValidatedToken.Of(result.ClaimsIdentity, jwt));
                context.Principal = new ClaimsPrincipal(result.ClaimsIdentity);
                context.Success();
                return;
            }

            context.Exception = result.Exception ?? context.Exception;
        }

        var refusal = TokenRefusals.Classify(BearerToken(context.Request), context.Exception, context.Options.TokenValidationParameters.ValidAlgorithms);
        context.HttpContext.Items[RefusalKey] = refusal;
        Log.TokenRefused(logger, refusal.Problem, refusal.Detail);
    }

    public override async Task Challenge(JwtBearerChallengeContext context)
    {
        context.HandleResponse();
        var refusal = context.HttpContext.Items[RefusalKey] as TokenRefusal
            ?? (context.Request.Headers.Authorization.Count > 0
                ? new TokenRefusal(Problems.TokenMissing, "The Authorization header does not carry a Bearer token.")
                : new TokenRefusal(Problems.TokenMissing, "This call needs a bearer token."));
        context.Response.Headers.WWWAuthenticate = context.HttpContext.Items.ContainsKey(RefusalKey)
            ? $"Bearer error=\"invalid_token\", error_description=\"{refusal.Problem}\""
            : "Bearer";
        await Problems.WriteAsync(context.HttpContext, Problems.Create(refusal.Problem, refusal.Detail));
    }

    private static string? BearerToken(HttpRequest request)
    {
        string? header = request.Headers.Authorization;
        return header is not null && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && header.Length > "Bearer ".Length
            ? header["Bearer ".Length..].Trim()
            : null;
    }
}
