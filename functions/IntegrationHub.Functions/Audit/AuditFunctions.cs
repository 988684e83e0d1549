using IntegrationHub.Functions.Security;

namespace IntegrationHub.Functions.Audit;

/// <summary>The audit chains' functions and settings, registered and mapped.</summary>
internal static class AuditFunctions
{
    /// <summary>The audit settings (validated at start) and keys; in Development a key is made at first use.</summary>
    public static IServiceCollection AddAuditTrail(this IServiceCollection services, IHostEnvironment environment)
    {
        services.AddOptions<AuditOptions>()
            .BindConfiguration(AuditOptions.Section)
            .PostConfigure<ILoggerFactory>((options, loggers) => UseDevelopmentKeyWhenUnset(options, environment, loggers))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<AuditKeyRing>();
        return services;
    }

    public static IEndpointRouteBuilder MapAuditFunctions(this IEndpointRouteBuilder routes)
    {
        PublishAuditKeysOnHttp.Map(routes);
        return routes;
    }

    private static void UseDevelopmentKeyWhenUnset(AuditOptions options, IHostEnvironment environment, ILoggerFactory loggers)
    {
        if (!environment.IsDevelopment() || !string.IsNullOrWhiteSpace(options.SigningKeyPath))
        {
            return;
        }

        options.SigningKeyPath = DevelopmentAuditKeys.LoadOrCreate(options.DevelopmentKeysDirectory, out var created);
        options.RetiredKeyPaths = [.. options.RetiredKeyPaths ?? [], .. DevelopmentAuditKeys.Retired(options.DevelopmentKeysDirectory)];
        if (created)
        {
            Log.DevelopmentAuditKeyCreated(loggers.CreateLogger("IntegrationHub.Audit"), options.SigningKeyPath);
        }
    }
}
