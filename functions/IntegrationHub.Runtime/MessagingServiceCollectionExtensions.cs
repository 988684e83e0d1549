using IntegrationHub.Core.Messaging;
using IntegrationHub.Runtime.Embedded;
using IntegrationHub.Runtime.Functions;
using IntegrationHub.Runtime.Queues;
using IntegrationHub.Runtime.RabbitMq;
using IntegrationHub.Runtime.Store;
using IntegrationHub.Runtime.Store.PostgreSql;
using IntegrationHub.Runtime.Timers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Runtime;

/// <summary>The hub's messaging: the hub database, the queue transport, and the function runtime.</summary>
public static class MessagingServiceCollectionExtensions
{
    /// <summary>
    /// Registers the hub database chosen by <c>Messaging:Store</c> (<see cref="IHubDatabase"/>, migrated
    /// at start; a SQLite one is claimed by this instance), the transport chosen by
    /// <c>Messaging:Transport</c> behind <see cref="IQueueClient"/>, <see cref="ISharedLockReceiver"/>,
    /// <see cref="IQueueSender"/>, <see cref="IQueueAdmin"/> and <see cref="IHubTransactions"/>, and the runtime that runs the
    /// functions added with <see cref="FunctionServiceCollectionExtensions.AddQueueFunction{TMessage, TFunction}"/>
    /// and <see cref="FunctionServiceCollectionExtensions.AddTimerFunction{TFunction}"/>, bound by
    /// <c>host.json</c>. A bad setting stops the host at start with a message naming it.
    /// </summary>
    public static IServiceCollection AddMessaging(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<MessagingOptions>().Bind(configuration.GetSection(MessagingOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        AddHostJson(services, HostJson.Load(configuration));

        // The schema catalogue is read first at start, before any function or request checks a body.
        services.TryAddSingleton(new MessageSchemas(MessageSchemas.DefaultFolder));
        services.AddHostedService<MessageSchemasLoader>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        AddStore(services);
        AddTransports(services);
        services.TryAddSingleton<RuntimeMetrics>();
        services.TryAddSingleton<HubInstance>();
        services.TryAddSingleton<TimerLeases>();
        return services;
    }

    private static void AddHostJson(IServiceCollection services, IConfiguration hostJson)
    {
        services.AddOptions<ServiceBusHostOptions>().Configure(options => HostJson.BindServiceBus(hostJson, options)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<RetryHostOptions>().Configure(options => HostJson.BindRetry(hostJson, options)).ValidateDataAnnotations().ValidateOnStart();
    }

    /// <summary>Both stores are registered; Messaging:Store (validated at start) picks the one behind the ports.</summary>
    private static void AddStore(IServiceCollection services)
    {
        services.AddHubMigrations(MessagingMigrations.All);
        services.TryAddSingleton<SqliteHubDatabase>();
        services.TryAddSingleton<HubWriter>();
        services.TryAddSingleton<SqliteHubStore>();
        services.TryAddSingleton<PostgresHubDatabase>();
        services.TryAddSingleton<IHubDatabase>(provider => IsPostgres(provider)
            ? provider.GetRequiredService<PostgresHubDatabase>()
            : provider.GetRequiredService<SqliteHubDatabase>());
        services.TryAddSingleton<IHubStore>(provider => IsPostgres(provider)
            ? provider.GetRequiredService<PostgresHubDatabase>()
            : provider.GetRequiredService<SqliteHubStore>());
        services.TryAddSingleton<QueueRegistry>();
        services.TryAddSingleton<QueueSignals>();
        // First, so that the database is migrated before anything else starts.
        services.Insert(0, ServiceDescriptor.Singleton<IHostedService, StoreMaintenance>());
    }

    /// <summary>Both transports are registered; Messaging:Transport (validated at start) picks the one behind the ports.</summary>
    private static void AddTransports(IServiceCollection services)
    {
        services.TryAddSingleton<EmbeddedQueueClient>();
        services.TryAddSingleton<EmbeddedCompletions>();
        services.TryAddSingleton<EmbeddedOutgoing>();
        services.TryAddSingleton<RabbitMqConnections>();
        services.TryAddSingleton<RabbitMqPublisher>();
        services.TryAddSingleton<RabbitMqQueueClient>();
        services.TryAddSingleton<RabbitMqOutgoing>();
        services.TryAddSingleton<HeldMessages>();
        services.TryAddSingleton<IBrokerStore>(provider => IsPostgres(provider)
            ? new PostgresBrokerStore(provider.GetRequiredService<PostgresHubDatabase>())
            : new SqliteBrokerStore(provider.GetRequiredService<HubWriter>()));
        services.TryAddSingleton<OutboxRelay>();
        services.AddHostedService(provider => provider.GetRequiredService<OutboxRelay>());
        services.TryAddSingleton<IQueueClient>(provider => IsRabbitMq(provider)
            ? provider.GetRequiredService<RabbitMqQueueClient>()
            : provider.GetRequiredService<EmbeddedQueueClient>());
        services.TryAddSingleton<IQueueSender>(provider => provider.GetRequiredService<IQueueClient>());
        services.TryAddSingleton<IQueueAdmin>(provider => (IQueueAdmin)provider.GetRequiredService<IQueueClient>());
        services.TryAddSingleton<ISharedLockReceiver>(provider => (ISharedLockReceiver)provider.GetRequiredService<IQueueClient>());
        services.TryAddSingleton<PostgresHubTransactions>();
        services.TryAddSingleton<IHubTransactions>(provider => IsPostgres(provider)
            ? provider.GetRequiredService<PostgresHubTransactions>()
            : new HubTransactions(
                provider.GetRequiredService<HubWriter>(),
                IsRabbitMq(provider) ? provider.GetRequiredService<RabbitMqOutgoing>() : provider.GetRequiredService<EmbeddedOutgoing>(),
                provider.GetRequiredService<TimeProvider>()));
    }

    private static bool IsRabbitMq(IServiceProvider provider) =>
        provider.GetRequiredService<IOptions<MessagingOptions>>().Value.Transport == MessagingOptions.RabbitMqTransport;

    private static bool IsPostgres(IServiceProvider provider) =>
        provider.GetRequiredService<IOptions<MessagingOptions>>().Value.Store == MessagingOptions.PostgresStore;
}
