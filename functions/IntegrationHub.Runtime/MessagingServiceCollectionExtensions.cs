using IntegrationHub.Core.Messaging;
using IntegrationHub.Runtime.Embedded;
using IntegrationHub.Runtime.Functions;
using IntegrationHub.Runtime.Queues;
using IntegrationHub.Runtime.RabbitMq;
using IntegrationHub.Runtime.ServiceBus;
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
    /// <c>Messaging:Transport</c> behind the roles of the queue port (<see cref="IQueueSender"/>,
    /// <see cref="IQueueReceiver"/>, <see cref="IQueueSettlement"/>, <see cref="IDeadLetterReplay"/>,
    /// <see cref="IQueueAdmin"/>, <see cref="ISharedLockReceiver"/>) and <see cref="IHubTransactions"/>, and the runtime that runs the
    /// functions added with <see cref="FunctionServiceCollectionExtensions.AddQueueFunction{TMessage, TFunction}"/>
    /// and <see cref="FunctionServiceCollectionExtensions.AddTimerFunction{TFunction}(Microsoft.Extensions.DependencyInjection.IServiceCollection, string, TimeSpan)"/>, bound by
    /// <c>host.json</c>. A bad setting stops the host at start with a message naming it.
    /// </summary>
    public static IServiceCollection AddMessaging(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<MessagingOptions>().Bind(configuration.GetSection(MessagingOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        AddHostJson(services, configuration);

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
        services.TryAddSingleton<IdempotentStep>();
        return services;
    }

    /// <summary>host.json is read when its settings are first needed (at start): a missing or bad file stops the host there, naming it.</summary>
    private static void AddHostJson(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ServiceBusHostOptions>().Configure(options => HostJson.BindServiceBus(HostJson.Load(configuration), options)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<RetryHostOptions>().Configure(options => HostJson.BindRetry(HostJson.Load(configuration), options)).ValidateDataAnnotations().ValidateOnStart();
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
        services.TryAddSingleton<OpenTransactions>();
        services.TryAddSingleton<QueueSignals>();
        // First, so that the database is migrated before anything else starts.
        services.Insert(0, ServiceDescriptor.Singleton<IHostedService, StoreMaintenance>());
    }

    /// <summary>Every transport is registered; Messaging:Transport (validated at start) picks the one behind the ports.</summary>
    private static void AddTransports(IServiceCollection services)
    {
        services.AddEmbeddedTransport();
        services.AddBrokerOutbox();
        services.AddRabbitMqTransport();
        services.AddServiceBusTransport();
        services.AddQueuePorts();
        services.TryAddSingleton<QueuePorts>();
        services.TryAddSingleton<PostgresHubTransactions>();
        services.TryAddSingleton<IHubTransactions>(provider => IsPostgres(provider)
            ? provider.GetRequiredService<PostgresHubTransactions>()
            : new HubTransactions(
                provider.GetRequiredService<HubWriter>(),
                provider.GetRequiredService<IOutgoingWriter>(),
                provider.GetRequiredService<OpenTransactions>(),
                provider.GetRequiredService<TimeProvider>()));
    }

    private static bool IsPostgres(IServiceProvider provider) =>
        provider.GetRequiredService<IOptions<MessagingOptions>>().Value.Store == MessagingOptions.PostgresStore;
}
