using IntegrationHub.Connectors;
using IntegrationHub.Connectors.Auth;
using IntegrationHub.Connectors.Population;
using IntegrationHub.Connectors.Portal;
using IntegrationHub.Connectors.Resilience;
using IntegrationHub.Connectors.Sectors;
using IntegrationHub.Connectors.Wire;
using IntegrationHub.Core.Gateways;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Refit;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the connectors to the national and sector systems.</summary>
public static class ConnectorsServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IPortalGateway"/> (<c>Connectors:Portal</c>),
    /// <see cref="IPopulationRegistry"/> (<c>Connectors:Population</c>), <see cref="ISectorGateways"/>
    /// (one section per system under <c>Connectors:Sectors</c>, e.g. <c>Land</c>, <c>Business</c>) and
    /// <see cref="IConnectorCircuits"/>. Each system gets a Refit client (<c>AddRefitClient</c>) with
    /// OAuth2 client credentials and its own resilience pipeline (<c>AddResilienceHandler</c>); every
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
        services.TryAddSingleton<ConnectorMetrics>();
        services.TryAddSingleton<ConnectorCircuits>();
        services.TryAddSingleton<IConnectorCircuits>(sp => sp.GetRequiredService<ConnectorCircuits>());
        services.TryAddSingleton<AccessTokenStore>();

        var portal = services.AddRefitGeneratedClient<IPortalApi>(Settings);
        AddSystem<PortalOptions>(services, PortalClient.SystemName, PortalOptions.Section, optionsName: null, portal);
        services.TryAddTransient<IPortalGateway, PortalClient>();

        var population = services.AddRefitGeneratedClient<IPopulationApi>(Settings);
        AddSystem<PopulationOptions>(services, PopulationClient.SystemName, PopulationOptions.Section, optionsName: null, population);
        services.TryAddTransient<IPopulationRegistry, PopulationClient>();

        var sectors = configuration.GetSection(SectorOptions.Section).GetChildren().Select(s => s.Key).ToList();
        foreach (var key in sectors)
        {
            var system = key.ToLowerInvariant();
            var client = services.AddKeyedRefitGeneratedClient<ISectorApi>(system, Settings);
            AddSystem<SectorOptions>(services, system, $"{SectorOptions.Section}:{key}", optionsName: system, client);
        }

        services.TryAddSingleton(new SectorSystemNames(sectors.Select(s => s.ToLowerInvariant())));
        services.TryAddSingleton<ISectorGateways, SectorGateways>();
        return services;
    }

    /// <summary>Request bodies in the systems' own JSON, buffered so that a retry can send them again.</summary>
    private static RefitSettings Settings(IServiceProvider services) => new()
    {
        ContentSerializer = new SystemTextJsonContentSerializer(WireJson.Options),
        Buffered = true,
    };

    /// <summary>
    /// A system's settings (validated at start, each failure naming its full key) and its client's
    /// handlers, outermost first: the bearer token (refreshed once on 401), the resilience pipeline,
    /// and the reading of each reply inside its attempt. The token endpoint is called through the same
    /// client, so its pipeline sees those calls too.
    /// </summary>
    private static void AddSystem<TOptions>(IServiceCollection services, string system, string section, string? optionsName, IHttpClientBuilder client)
        where TOptions : ConnectorOptions
    {
        var name = optionsName ?? Options.Options.DefaultName;
        services.AddOptions<TOptions>(name).BindConfiguration(section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TOptions>>(new SettingsValidation<TOptions>(name, section));
        services.AddSingleton(sp => new ConnectorSystem(system, sp.GetRequiredService<IOptionsMonitor<TOptions>>().Get(name), client.Name));

        client
            .ConfigureHttpClient((sp, http) =>
            {
                http.BaseAddress = sp.GetRequiredService<IOptionsMonitor<TOptions>>().Get(name).BaseAddress;

                // The pipeline's attempt and total timeouts govern; HttpClient's own would cut across them.
                http.Timeout = Timeout.InfiniteTimeSpan;
            })
            .AddHttpMessageHandler(sp => new BearerTokenHandler(
                system,
                sp.GetRequiredService<AccessTokenStore>().For(system),
                sp.GetRequiredService<ConnectorMetrics>(),
                sp.GetRequiredService<ILoggerFactory>().CreateLogger<BearerTokenHandler>()));
        client.AddResilienceHandler("pipeline", (builder, context) => ConnectorPipeline.Configure(
            builder,
            context.ServiceProvider.GetServices<ConnectorSystem>().Single(s => s.Name == system),
            context.ServiceProvider));
        client.AddHttpMessageHandler(() => new ReplyBuffering());
    }
}
