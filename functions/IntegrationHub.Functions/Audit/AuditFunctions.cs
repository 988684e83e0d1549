using IntegrationHub.Runtime.Functions;
using IntegrationHub.Runtime.Store.Audit;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Functions.Audit;

/// <summary>The audit chains' functions and settings, registered and mapped.</summary>
internal static class AuditFunctions
{
    /// <summary>
    /// The audit chains: settings (validated at start) and keys (in Development a key is made at first
    /// use), the store, the sealer and the hub's own verification (unless <c>Audit:Chaining</c> is off),
    /// and the API.
    /// </summary>
    public static IServiceCollection AddAuditTrail(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddOptions<AuditOptions>()
            .BindConfiguration(AuditOptions.Section)
            .PostConfigure<ILoggerFactory>((options, loggers) => UseDevelopmentKeyWhenUnset(options, environment, loggers))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<AuditKeyRing>();
        services.AddAuditStore();
        services.AddSingleton<AuditVerificationService>();
        if (configuration.GetValue($"{AuditOptions.Section}:{nameof(AuditOptions.Chaining)}", defaultValue: true))
        {
            services.AddTimerFunction<SealAuditChainsOnTimer>(SealAuditChainsOnTimer.Name, sp => sp.GetRequiredService<IOptions<AuditOptions>>().Value.SealInterval);
            services.AddTimerFunction<VerifyAuditChainsOnTimer>(VerifyAuditChainsOnTimer.Name, sp => sp.GetRequiredService<IOptions<AuditOptions>>().Value.VerifyInterval);
        }

        services.AddTransient<ReadAuditVerificationOnHttp>();
        services.AddTransient<ExportAuditCheckpointsOnHttp>();
        services.AddTransient<ReadAuditStatusOnHttp>();
        services.AddSingleton<AuditRetentionService>();
        services.AddTransient<RetainAuditEntriesOnHttp>();
        return services;
    }

    public static IEndpointRouteBuilder MapAuditFunctions(this IEndpointRouteBuilder routes)
    {
        PublishAuditKeysOnHttp.Map(routes);
        ReadAuditVerificationOnHttp.Map(routes);
        ExportAuditCheckpointsOnHttp.Map(routes);
        ReadAuditStatusOnHttp.Map(routes);
        RetainAuditEntriesOnHttp.Map(routes);
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
