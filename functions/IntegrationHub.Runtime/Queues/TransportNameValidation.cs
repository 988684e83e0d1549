using Microsoft.Extensions.Options;

namespace IntegrationHub.Runtime.Queues;

/// <summary><c>Messaging:Transport</c> must name a registered transport.</summary>
internal sealed class TransportNameValidation(IEnumerable<QueueTransportName> transports) : IValidateOptions<MessagingOptions>
{
    public ValidateOptionsResult Validate(string? name, MessagingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var names = transports.Select(t => t.Name).ToList();
        if (names.Contains(options.Transport, StringComparer.Ordinal))
        {
            return ValidateOptionsResult.Success;
        }

        var allowed = names.Count == 1 ? $"'{names[0]}'" : $"{string.Join(", ", names.SkipLast(1).Select(n => $"'{n}'"))} or '{names[^1]}'";
        return ValidateOptionsResult.Fail($"{MessagingOptions.Section}:Transport must be {allowed} (was '{options.Transport}').");
    }
}
