using IntegrationHub.Functions.Http;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Functions.Security;

internal static class SecurityExtensions
{
    /// <summary>
    /// JWT authentication and the role policies. In Development, when no key set is configured, a
    /// local development key set is created and trusted (see <see cref="DevelopmentKeys"/>).
    /// </summary>
    public static IServiceCollection AddHubSecurity(this IServiceCollection services, IHostEnvironment environment)
    {
        services.AddOptions<SecurityOptions>()
            .BindConfiguration(SecurityOptions.Section)
            .PostConfigure<ILoggerFactory>((options, loggers) => UseDevelopmentKeysWhenUnset(options, environment, loggers))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.AddHttpClient(nameof(JwksKeySource));
        services.AddSingleton<JwksKeySource>();
        services.AddSingleton<ValidatedTokens>();
        services.AddAuthentication(JwtBearerHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, JwtBearerHandler>(JwtBearerHandler.SchemeName, _ => { });

        services.AddAuthorizationBuilder()
            .AddPolicy(HubRoles.Portal, p => p.RequireRole(HubRoles.Portal))
            .AddPolicy(HubRoles.Officer, p => p.RequireRole(HubRoles.Officer))
            .AddPolicy(HubRoles.Ops, p => p.RequireRole(HubRoles.Ops))
            .AddPolicy(HubRoles.Auditor, p => p.RequireRole(HubRoles.Auditor))
            .AddPolicy(HubRoles.Department, p => p.RequireAssertion(c => c.User.DepartmentCodes().Count > 0));
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, ProblemAuthorizationResultHandler>();
        return services;
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

    /// <summary>Writes 401 and 403 as problem responses; a 403 names the role the call needs.</summary>
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
