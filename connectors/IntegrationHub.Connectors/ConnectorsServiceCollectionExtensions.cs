using IntegrationHub.Connectors.Auth;
using IntegrationHub.Connectors.Population;
using IntegrationHub.Connectors.Portal;
using IntegrationHub.Connectors.Resilience;
using IntegrationHub.Connectors.Sectors;
using IntegrationHub.Core.Gateways;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the connectors to the national and sector systems.</summary>
public static class ConnectorsServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IPortalGateway"/> (<c>Connectors:Portal</c>),
    /// <see cref="IPopulationRegistry"/> (<c>Connectors:Population</c>), <see cref="ISectorGateways"/>
    /// (one section per system under <c>Connectors:Sectors</c>, e.g. <c>Land</c>, <c>Business</c>) and
    /// <see cref="IntegrationHub.Connectors.IConnectorCircuits"/>. Each system gets a typed
    /// <see cref="HttpClient"/> with OAuth2 client credentials and its own resilience pipeline; every
    /// setting is validated when the host starts.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The configuration; it is read here only to find the sector systems' sections.</param>
    public static IServiceCollection AddConnectors(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.AddHttpClient();
        services.TryAddSingleton<ConnectorMetrics>();
        services.TryAddSingleton<ConnectorPipelines>();
        services.TryAddSingleton<IntegrationHub.Connectors.IConnectorCircuits>(sp => sp.GetRequiredService<ConnectorPipelines>());
        services.TryAddSingleton<AccessTokenStore>();

        AddSystem<PortalOptions>(services, PortalClient.SystemName, PortalOptions.Section, optionsName: null)
            .AddHttpClient<IPortalGateway, PortalClient>()
            .AddConnectorHandlers(PortalClient.SystemName, sp => sp.GetRequiredService<IOptions<PortalOptions>>().Value);

        AddSystem<PopulationOptions>(services, PopulationClient.SystemName, PopulationOptions.Section, optionsName: null)
            .AddHttpClient<IPopulationRegistry, PopulationClient>()
            .AddConnectorHandlers(PopulationClient.SystemName, sp => sp.GetRequiredService<IOptions<PopulationOptions>>().Value);

        var sectors = configuration.GetSection(SectorOptions.Section).GetChildren().Select(s => s.Key).ToList();
        foreach (var key in sectors)
        {
            var system = key.ToLowerInvariant();
            AddSystem<SectorOptions>(services, system, $"{SectorOptions.Section}:{key}", optionsName: system)
                .AddHttpClient(SectorGateways.ClientName(system))
                .AddConnectorHandlers(system, sp => sp.GetRequiredService<IOptionsMonitor<SectorOptions>>().Get(system));
        }

        services.TryAddSingleton(new SectorSystemNames(sectors.Select(s => s.ToLowerInvariant())));
        services.TryAddSingleton<ISectorGateways, SectorGateways>();
        return services;
    }

    private static IServiceCollection AddSystem<TOptions>(IServiceCollection services, string system, string section, string? optionsName)
        where TOptions : IntegrationHub.Connectors.ConnectorOptions
    {
        services.AddOptions<TOptions>(optionsName ?? Microsoft.Extensions.Options.Options.DefaultName)
            .BindConfiguration(section)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<TOptions>>(new IntegrationHub.Connectors.SettingsValidation<TOptions>(optionsName ?? Microsoft.Extensions.Options.Options.DefaultName, section));
        services.AddSingleton(sp => new ConnectorSystem(system, optionsName is null
            ? sp.GetRequiredService<IOptions<TOptions>>().Value
            : sp.GetRequiredService<IOptionsMonitor<TOptions>>().Get(optionsName)));
        return services;
    }

    /// <summary>
    /// The system's handlers, outermost first: the bearer token (refreshed once on 401), then the
    /// resilience pipeline. The token endpoint has its own client through the same pipeline.
    /// </summary>
    private static IHttpClientBuilder AddConnectorHandlers(this IHttpClientBuilder builder, string system, Func<IServiceProvider, IntegrationHub.Connectors.ConnectorOptions> options)
    {
        builder.Services.AddHttpClient(AccessTokens.ClientName(system))
            .ConfigureHttpClient(http => http.Timeout = Timeout.InfiniteTimeSpan)
            .AddHttpMessageHandler(sp => new ResilienceHandler(sp.GetRequiredService<ConnectorPipelines>().For(system)));

        return builder
            .ConfigureHttpClient((sp, http) =>
            {
                http.BaseAddress = options(sp).BaseAddress;

                // The pipeline's attempt and total timeouts govern; HttpClient's own would cut across them.
                http.Timeout = Timeout.InfiniteTimeSpan;
            })
            .AddHttpMessageHandler(sp => new BearerTokenHandler(
                system,
                sp.GetRequiredService<AccessTokenStore>().For(system),
                sp.GetRequiredService<ConnectorMetrics>(),
                sp.GetRequiredService<ILoggerFactory>().CreateLogger<BearerTokenHandler>()))
            .AddHttpMessageHandler(sp => new ResilienceHandler(sp.GetRequiredService<ConnectorPipelines>().For(system)));
    }
}
