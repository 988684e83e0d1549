using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace IntegrationHub.Runtime.Functions;

/// <summary>
/// <c>host.json</c>'s <c>extensions.serviceBus</c> section, with the Functions defaults; settings
/// this runtime does not use are ignored, so a host.json written for Azure Functions still loads.
/// </summary>
internal sealed class ServiceBusHostOptions : IValidatableObject
{
    [Range(1, 1000, ErrorMessage = "host.json extensions.serviceBus.maxConcurrentCalls must be between 1 and 1000.")]
    public int MaxConcurrentCalls { get; set; } = 16;

    [Range(0, 10_000, ErrorMessage = "host.json extensions.serviceBus.prefetchCount must be between 0 and 10000.")]
    public int PrefetchCount { get; set; }

    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00", ErrorMessage = "host.json extensions.serviceBus.maxAutoLockRenewalDuration must be between 00:00:00 and 7.00:00:00.")]
    public TimeSpan MaxAutoLockRenewalDuration { get; set; } = TimeSpan.FromMinutes(5);

    public bool AutoCompleteMessages { get; set; } = true;

    /// <summary>How the Service Bus client retries a failed operation (the servicebus transport only).</summary>
    public ClientRetryHostOptions ClientRetryOptions { get; set; } = new();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) => ClientRetryOptions.Validate(validationContext);
}

/// <summary>
/// host.json's <c>extensions.serviceBus.clientRetryOptions</c>, with the Service Bus SDK's defaults:
/// how often and how soon the client retries an operation that failed for a transient reason.
/// </summary>
internal sealed class ClientRetryHostOptions : IValidatableObject
{
    /// <summary><c>exponential</c> or <c>fixed</c>.</summary>
    public string Mode { get; set; } = "exponential";

    public TimeSpan TryTimeout { get; set; } = TimeSpan.FromMinutes(1);

    public TimeSpan Delay { get; set; } = TimeSpan.FromSeconds(0.8);

    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMinutes(1);

    public int MaxRetries { get; set; } = 3;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        const string Where = "host.json extensions.serviceBus.clientRetryOptions";
        if (!Mode.Equals("exponential", StringComparison.OrdinalIgnoreCase) && !Mode.Equals("fixed", StringComparison.OrdinalIgnoreCase))
        {
            yield return new ValidationResult($"{Where}.mode must be 'exponential' or 'fixed' (was '{Mode}').");
        }

        if (TryTimeout <= TimeSpan.Zero || TryTimeout > TimeSpan.FromHours(1))
        {
            yield return new ValidationResult($"{Where}.tryTimeout must be between 00:00:00 and 01:00:00, and not zero.");
        }

        if (Delay < TimeSpan.FromMilliseconds(1) || Delay > TimeSpan.FromMinutes(5) || MaxDelay < Delay || MaxDelay > TimeSpan.FromHours(1))
        {
            yield return new ValidationResult($"{Where}.delay must be between 1 ms and 5 minutes, and maxDelay between delay and 1 hour.");
        }

        if (MaxRetries is < 0 or > 100)
        {
            yield return new ValidationResult($"{Where}.maxRetries must be between 0 and 100 (was {MaxRetries}).");
        }
    }
}

/// <summary><c>host.json</c>'s <c>retry</c> section; without one, a failed message is retried at once until the queue's MaxDeliveryCount.</summary>
internal sealed class RetryHostOptions : IValidatableObject
{
    public RetryOptions? Policy { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) =>
        Policy?.Problems("host.json retry").Select(problem => new ValidationResult(problem)) ?? [];
}

/// <summary>Reads <c>host.json</c> (the Functions format) into configuration.</summary>
internal static class HostJson
{
    public const string ServiceBusSection = "extensions:serviceBus";
    public const string RetrySection = "retry";

    /// <summary>The file named by <c>Messaging:HostJsonPath</c>, or <c>host.json</c> beside the program when there is one.</summary>
    public static IConfiguration Load(IConfiguration configuration)
    {
        var configured = configuration[$"{MessagingOptions.Section}:{nameof(MessagingOptions.HostJsonPath)}"];
        var path = Path.GetFullPath(string.IsNullOrWhiteSpace(configured) ? Path.Combine(AppContext.BaseDirectory, "host.json") : configured);
        if (!File.Exists(path))
        {
            return configured is null
                ? new ConfigurationBuilder().Build()
                : throw new InvalidOperationException($"Messaging:HostJsonPath names '{path}', which does not exist.");
        }

        try
        {
            return new ConfigurationBuilder().AddJsonFile(path, optional: false, reloadOnChange: false).Build();
        }
        catch (InvalidDataException ex)
        {
            throw new InvalidOperationException($"host.json at '{path}' is not valid JSON: {ex.InnerException?.Message ?? ex.Message}", ex);
        }
    }

    public static void BindServiceBus(IConfiguration hostJson, ServiceBusHostOptions options) =>
        Bind("extensions.serviceBus", () => hostJson.GetSection(ServiceBusSection).Bind(options));

    /// <summary>The <c>retry</c> section as a policy, or null when host.json has none.</summary>
    public static void BindRetry(IConfiguration hostJson, RetryHostOptions options)
    {
        var section = hostJson.GetSection(RetrySection);
        if (section.Exists())
        {
            Bind("retry", () => options.Policy = section.Get<RetryOptions>());
        }
    }

    private static void Bind(string section, Action bind)
    {
        try
        {
            bind();
        }
        catch (InvalidOperationException ex)
        {
            // The binder names the key but not the file; say both.
            throw new InvalidOperationException($"host.json {section} is not valid: {ex.Message}", ex);
        }
    }
}
