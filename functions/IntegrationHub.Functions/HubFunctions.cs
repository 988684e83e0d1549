using IntegrationHub.Functions.Identity;

namespace IntegrationHub.Functions;

/// <summary>Every function of the hub, registered and mapped in one place.</summary>
internal static class HubFunctions
{
    public static IServiceCollection AddIdentityChecks(this IServiceCollection services)
    {
        services.AddOptions<IdentityOptions>().BindConfiguration(IdentityOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddMemoryCache();
        services.AddSingleton<IdentityVerificationService>();
        services.AddTransient<VerifyIdentityOnHttp>();
        services.AddTransient<ListIdentityLookupsOnHttp>();
        return services;
    }

    public static WebApplication MapHubFunctions(this WebApplication app)
    {
        DescribeCallerOnHttp.Map(app);
        VerifyIdentityOnHttp.Map(app);
        ListIdentityLookupsOnHttp.Map(app);
        return app;
    }
}
