using IntegrationHub.Core.Messaging;
using IntegrationHub.Runtime.Store;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Runtime.Queues;

/// <summary>
/// The queue transports the runtime can run on, each registered under its name (a value of
/// <c>Messaging:Transport</c>) with its implementation of every role of the queue port; the ports the
/// hub uses stand for the roles of the transport the configuration names. A transport implements:
/// <list type="bullet">
/// <item><see cref="IQueueSender"/>: send, send a batch, scheduled delivery, duplicate detection on <c>MessageId</c>;</item>
/// <item><see cref="IQueueReceiver"/>: peek-lock receive (lock duration, <c>DeliveryCount</c>, <c>MaxDeliveryCount</c> to the dead-letter queue) and peek;</item>
/// <item><see cref="IQueueSettlement"/>: renew, complete, abandon (with a delay), dead-letter, by queue and lock token alone;</item>
/// <item><see cref="IDeadLetterReplay"/>: a locked dead letter, or one a peek found, back to its source under its own id;</item>
/// <item><see cref="IQueueAdmin"/>: declare (idempotent), list, statistics;</item>
/// <item><see cref="ISharedLockReceiver"/>: receive under a lock any instance can settle (department pulls);</item>
/// <item><see cref="IOutgoingWriter"/>: a hub transaction's messages on the SQLite store (its queue rows, or an outbox a relay publishes);</item>
/// <item>optionally <see cref="IReceiverControl"/>, when its broker pushes to this process's consumers.</item>
/// </list>
/// The queue conformance suite runs against a transport with a class that names its settings.
/// </summary>
internal static class QueueTransports
{
    /// <summary>Registers a transport's roles under <paramref name="name"/>.</summary>
    public static IServiceCollection AddQueueTransport<TSender, TReceiver, TSettlement, TReplay, TAdmin, TSharedLock, TOutgoing>(this IServiceCollection services, string name)
        where TSender : class, IQueueSender
        where TReceiver : class, IQueueReceiver
        where TSettlement : class, IQueueSettlement
        where TReplay : class, IDeadLetterReplay
        where TAdmin : class, IQueueAdmin
        where TSharedLock : class, ISharedLockReceiver
        where TOutgoing : class, IOutgoingWriter
    {
        services.AddSingleton(new QueueTransportName(name));
        Role<IQueueSender, TSender>(services, name);
        Role<IQueueReceiver, TReceiver>(services, name);
        Role<IQueueSettlement, TSettlement>(services, name);
        Role<IDeadLetterReplay, TReplay>(services, name);
        Role<IQueueAdmin, TAdmin>(services, name);
        Role<ISharedLockReceiver, TSharedLock>(services, name);
        Role<IOutgoingWriter, TOutgoing>(services, name);
        return services;
    }

    /// <summary>Registers how the transport named <paramref name="name"/> controls what its broker pushes.</summary>
    public static IServiceCollection AddReceiverControl<TControl>(this IServiceCollection services, string name)
        where TControl : class, IReceiverControl
    {
        Role<IReceiverControl, TControl>(services, name);
        return services;
    }

    /// <summary>The hub's queue ports: the roles of the transport <c>Messaging:Transport</c> names (validated at start).</summary>
    public static IServiceCollection AddQueuePorts(this IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MessagingOptions>, TransportNameValidation>());
        Port<IQueueSender>(services);
        Port<IQueueReceiver>(services);
        Port<IQueueSettlement>(services);
        Port<IDeadLetterReplay>(services);
        Port<IQueueAdmin>(services);
        Port<ISharedLockReceiver>(services);
        Port<IOutgoingWriter>(services);
        services.TryAddSingleton(provider => provider.GetKeyedService<IReceiverControl>(Configured(provider)) ?? NoReceiverControl.Instance);
        return services;
    }

    private static void Role<TRole, TImplementation>(IServiceCollection services, string name)
        where TRole : class
        where TImplementation : class, TRole
    {
        services.TryAddSingleton<TImplementation>();
        services.AddKeyedSingleton<TRole>(name, (provider, _) => provider.GetRequiredService<TImplementation>());
    }

    private static void Port<TRole>(IServiceCollection services)
        where TRole : class =>
        services.TryAddSingleton(provider => provider.GetRequiredKeyedService<TRole>(Configured(provider)));

    private static string Configured(IServiceProvider provider) => provider.GetRequiredService<IOptions<MessagingOptions>>().Value.Transport;
}
