using IntegrationHub.Runtime.Timers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace IntegrationHub.Runtime.Functions;

/// <summary>Registers queue and timer functions with the hub's runtime (see <see cref="MessagingServiceCollectionExtensions.AddMessaging"/>).</summary>
public static class FunctionServiceCollectionExtensions
{
    /// <summary>
    /// Binds <typeparamref name="TFunction"/> to <paramref name="queue"/> (declared at start when
    /// missing), with host.json's <c>extensions.serviceBus</c> and <c>retry</c> settings unless
    /// <paramref name="configure"/> overrides them. The function is resolved in a new scope per message.
    /// </summary>
    public static IServiceCollection AddQueueFunction<TMessage, TFunction>(this IServiceCollection services, string queue, Action<QueueFunctionOptions>? configure = null)
        where TFunction : class, IQueueFunction<TMessage>
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(queue);
        var options = new QueueFunctionOptions();
        configure?.Invoke(options);
        services.TryAddScoped<TFunction>();
        services.TryAddSingleton<MessageReader>();
        services.AddSingleton(provider => new QueueFunctionRegistration(
            options.Name ?? typeof(TFunction).Name,
            queue,
            options,
            new FunctionInvoker<TMessage, TFunction>(provider.GetRequiredService<MessageReader>())));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, QueueFunctionHost>());
        return services;
    }

    /// <summary>
    /// Runs <typeparamref name="TFunction"/> every <paramref name="schedule"/>, first one schedule after
    /// the hub first starts with it, on one hub instance at a time.
    /// </summary>
    public static IServiceCollection AddTimerFunction<TFunction>(this IServiceCollection services, string name, TimeSpan schedule)
        where TFunction : class, ITimerFunction
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentOutOfRangeException.ThrowIfLessThan(schedule, TimeSpan.FromSeconds(1));
        return services.AddTimerFunction<TFunction>(name, _ => schedule);
    }

    /// <summary>
    /// Runs <typeparamref name="TFunction"/> on a schedule read when the host starts (from settings
    /// validated by then, so that a bad one is reported by its key rather than here).
    /// </summary>
    public static IServiceCollection AddTimerFunction<TFunction>(this IServiceCollection services, string name, Func<IServiceProvider, TimeSpan> schedule)
        where TFunction : class, ITimerFunction
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(schedule);
        services.TryAddScoped<TFunction>();
        services.AddSingleton(provider => new TimerFunctionRegistration(name, schedule(provider), typeof(TFunction)));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, TimerFunctionHost>());
        return services;
    }
}
