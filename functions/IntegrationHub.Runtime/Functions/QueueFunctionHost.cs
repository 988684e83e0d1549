using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Runtime.Functions;

/// <summary>Starts a processor per registered queue function and stops them gracefully with the host.</summary>
internal sealed class QueueFunctionHost(
    IEnumerable<QueueFunctionRegistration> registrations,
    QueuePorts queues,
    IOptions<ServiceBusHostOptions> serviceBus,
    IOptions<RetryHostOptions> retry,
    IOptions<MessagingOptions> messaging,
    IServiceProvider services,
    TimeProvider time,
    RuntimeMetrics metrics,
    ILoggerFactory loggers) : IHostedService
{
    private readonly List<QueueProcessor> processors = [];

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger("IntegrationHub.Runtime.QueueFunctions");
        foreach (var registration in registrations)
        {
            var settings = Resolve(registration);
            var processor = new QueueProcessor(registration, settings, queues, services, time, metrics, logger);
            processors.Add(processor);
            processor.Start();
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.WhenAll(processors.Select(p => p.StopAsync(cancellationToken)));

    /// <summary>host.json's settings with the function's overrides; a bad override stops the host at start.</summary>
    private ProcessorSettings Resolve(QueueFunctionRegistration registration)
    {
        var overrides = registration.Overrides;
        var where = $"Queue function {registration.Name}";
        var concurrency = overrides.MaxConcurrentCalls ?? serviceBus.Value.MaxConcurrentCalls;
        var prefetch = overrides.PrefetchCount ?? serviceBus.Value.PrefetchCount;
        var renewal = overrides.MaxAutoLockRenewalDuration ?? serviceBus.Value.MaxAutoLockRenewalDuration;
        var problems = new List<string>();
        if (concurrency is < 1 or > 1000)
        {
            problems.Add($"{where}: MaxConcurrentCalls must be between 1 and 1000 (was {concurrency}).");
        }

        if (prefetch is < 0 or > 10_000)
        {
            problems.Add($"{where}: PrefetchCount must be between 0 and 10000 (was {prefetch}).");
        }

        if (renewal < TimeSpan.Zero)
        {
            problems.Add($"{where}: MaxAutoLockRenewalDuration must not be negative.");
        }

        if (overrides.Retry is { } policy)
        {
            problems.AddRange(policy.Problems($"{where}: retry"));
        }

        if (problems.Count > 0)
        {
            throw new OptionsValidationException(registration.Name, typeof(QueueFunctionOptions), problems);
        }

        var retryPolicy = new RetryPolicy(overrides.Retry ?? retry.Value.Policy, messaging.Value.MaxDeliveryCount);
        return new ProcessorSettings(concurrency, prefetch, overrides.AutoCompleteMessages ?? serviceBus.Value.AutoCompleteMessages, renewal, retryPolicy);
    }
}
