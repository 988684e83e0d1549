using IntegrationHub.Functions.Http;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace IntegrationHub.Functions.Security;

internal static class SecurityExtensions
{
    /// <summary>
    /// JWT bearer authentication (Microsoft.AspNetCore.Authentication.JwtBearer) against the configured
    /// key set, and the role policies. In Development, when no key set is configured, a local
    /// development key set is created and trusted (see <see cref="DevelopmentKeys"/>).
    /// </summary>
    public static IServiceCollection AddHubSecurity(this IServiceCollection services, IHostEnvironment environment)
    {
        services.AddOptions<SecurityOptions>()
            .BindConfiguration(SecurityOptions.Section)
            .PostConfigure<ILoggerFactory>((options, loggers) => UseDevelopmentKeysWhenUnset(options, environment, loggers))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.AddHttpClient(nameof(JwksKeySource))
            .ConfigureHttpClient((provider, client) => client.Timeout = provider.GetRequiredService<IOptions<SecurityOptions>>().Value.JwksTimeout);
        services.AddSingleton<JwksKeySource>();
        services.AddSingleton<ValidatedTokens>();
        services.AddSingleton<HubTokenEvents>();
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<SecurityOptions>, JwksKeySource, HubTokenEvents, TimeProvider>((jwt, security, keys, events, time) =>
            {
                var options = security.Value;
                jwt.ConfigurationManager = keys;
                jwt.RefreshOnIssuerKeyNotFound = false; // HubTokenEvents reads the set again within the request
                jwt.MapInboundClaims = false;
                jwt.TimeProvider = time;
                jwt.Events = events;
                jwt.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = options.Issuer,
                    ValidAudience = options.Audience,
                    ValidAlgorithms = options.AcceptedAlgorithms,
                    RequireSignedTokens = true,
                    RequireExpirationTime = true,
                    ClockSkew = options.ClockSkew,
                    LifetimeValidator = (notBefore, expires, _, parameters) => CheckLifetime(notBefore, expires, parameters.ClockSkew, time),
                    RoleClaimType = HubRoles.ClaimType,
                    NameClaimType = "name",
                };
            });

        services.AddAuthorizationBuilder()
            .AddPolicy(HubRoles.Portal, p => p.RequireRole(HubRoles.Portal))
            .AddPolicy(HubRoles.Officer, p => p.RequireRole(HubRoles.Officer))
            .AddPolicy(HubRoles.Ops, p => p.RequireRole(HubRoles.Ops))
            .AddPolicy(HubRoles.Auditor, p => p.RequireRole(HubRoles.Auditor))
            .AddPolicy(HubRoles.Department, p => p.RequireAssertion(c => c.User.DepartmentCodes().Count > 0));
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, ProblemAuthorizationResultHandler>();
        return services;
    }

    /// <summary>
    /// Lifetime against the hub's <see cref="TimeProvider"/> rather than the machine's clock, with the
    /// library's own exceptions, so that each failure keeps its problem type.
    /// </summary>
    private static bool CheckLifetime(DateTime? notBefore, DateTime? expires, TimeSpan skew, TimeProvider time)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (expires is not { } exp)
        {
            throw new SecurityTokenNoExpirationException("The token has no expiry.");
        }

        if (exp + skew < now)
        {
            throw new SecurityTokenExpiredException("The token has expired.") { Expires = exp };
        }

        if (notBefore is { } nbf && nbf - skew > now)
        {
            throw new SecurityTokenNotYetValidException("The token is not valid yet.") { NotBefore = nbf };
        }

        return true;
    }

    private static void UseDevelopmentKeysWhenUnset(SecurityOptions options, IHostEnvironment environment, ILoggerFactory loggers)
    {
        if (!environment.IsDevelopment() || !string.IsNullOrWhiteSpace(options.JwksPath) || options.JwksUrl is not null)
        {
            return;
        }

        var keys = DevelopmentKeys.LoadOrCreate(options.DevelopmentKeysDirectory, environment.EnvironmentName, out var created);
        if (created)
        {
            Log.DevelopmentKeyCreated(loggers.CreateLogger("IntegrationHub.Security"), keys.Directory);
        }

        options.JwksPath = keys.PublicKeySetPath;
        options.Issuer = string.IsNullOrEmpty(options.Issuer) ? DevelopmentKeys.Issuer : options.Issuer;
        options.Audience = string.IsNullOrEmpty(options.Audience) ? DevelopmentKeys.Audience : options.Audience;
    }

    /// <summary>Writes 403 as a problem response naming the role the call needs.</summary>
    private sealed class ProblemAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
    {
        private readonly AuthorizationMiddlewareResultHandler fallback = new();

        public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
        {
            if (!authorizeResult.Forbidden)
            {
                return fallback.HandleAsync(next, context, policy, authorizeResult);
            }

            var roles = policy.Requirements.OfType<RolesAuthorizationRequirement>().SelectMany(r => r.AllowedRoles).ToList();
            var required = roles.Count > 0 ? string.Join(" or ", roles) : $"{HubRoles.DepartmentPrefix}<code>";
            return Problems.WriteAsync(context, Problems.Create(Problems.Forbidden, $"This call needs the role {required}.", new Dictionary<string, object?> { ["requiredRole"] = required }));
        }
    }
}
