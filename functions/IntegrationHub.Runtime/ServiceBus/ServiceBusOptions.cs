using System.ComponentModel.DataAnnotations;
using Azure.Messaging.ServiceBus;

namespace IntegrationHub.Runtime;

/// <summary>
/// The <c>Messaging:ServiceBus</c> section: the Azure Service Bus namespace of the <c>servicebus</c>
/// transport, reached with a connection string, or by its name with a managed identity
/// (<c>DefaultAzureCredential</c>). Exactly one of <see cref="ConnectionString"/> and
/// <see cref="Namespace"/> is required.
/// </summary>
public sealed class ServiceBusOptions
{
    /// <summary>
    /// A connection string with a shared access key:
    /// <c>Endpoint=sb://hub.servicebus.windows.net/;SharedAccessKeyName=…;SharedAccessKey=…</c>
    /// (<c>UseDevelopmentEmulator=true</c> for the emulator or the Service Bus double, which turns TLS off).
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// The namespace's fully qualified host name, e.g. <c>hub.servicebus.windows.net</c>, reached with
    /// <c>DefaultAzureCredential</c>: on Azure the managed identity, elsewhere the developer's sign-in.
    /// </summary>
    public string? Namespace { get; set; }

    /// <summary>
    /// The client id of the user-assigned managed identity <c>DefaultAzureCredential</c> uses with
    /// <see cref="Namespace"/>.
    /// </summary>
    /// <value>Defaults to <c>AZURE_CLIENT_ID</c> when set, otherwise the system-assigned identity.</value>
    public string? ManagedIdentityClientId { get; set; }

    internal IEnumerable<ValidationResult> Validate()
    {
        var hasConnectionString = !string.IsNullOrWhiteSpace(ConnectionString);
        var hasNamespace = !string.IsNullOrWhiteSpace(Namespace);
        if (hasConnectionString == hasNamespace)
        {
            yield return new ValidationResult(
                hasConnectionString
                    ? "Messaging:ServiceBus:ConnectionString and Messaging:ServiceBus:Namespace are both set: give one (a connection string with a key, or the namespace reached with a managed identity)."
                    : "Messaging:ServiceBus:ConnectionString or Messaging:ServiceBus:Namespace is required when Messaging:Transport is 'servicebus'.",
                ["ServiceBus.ConnectionString", "ServiceBus.Namespace"]);
        }
        else if (hasConnectionString && ConnectionStringProblem(ConnectionString!) is { } problem)
        {
            yield return new ValidationResult($"Messaging:ServiceBus:ConnectionString is not a valid Service Bus connection string: {problem}", ["ServiceBus.ConnectionString"]);
        }
        else if (hasNamespace && (Namespace!.Contains("://", StringComparison.Ordinal) || Uri.CheckHostName(Namespace) != UriHostNameType.Dns || !Namespace.Contains('.', StringComparison.Ordinal)))
        {
            yield return new ValidationResult(
                $"Messaging:ServiceBus:Namespace must be the namespace's host name, e.g. hub.servicebus.windows.net (was '{Namespace}').", ["ServiceBus.Namespace"]);
        }

        if (!string.IsNullOrWhiteSpace(ManagedIdentityClientId) && !Guid.TryParse(ManagedIdentityClientId, out _))
        {
            yield return new ValidationResult(
                $"Messaging:ServiceBus:ManagedIdentityClientId must be the identity's client id, a GUID (was '{ManagedIdentityClientId}').", ["ServiceBus.ManagedIdentityClientId"]);
        }
    }

    /// <summary>What is wrong with a connection string, without repeating any of it (it holds a key); null when it will do.</summary>
    private static string? ConnectionStringProblem(string connectionString)
    {
        ServiceBusConnectionStringProperties parsed;
        try
        {
            parsed = ServiceBusConnectionStringProperties.Parse(connectionString);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            return "it is not a list of Key=Value pairs separated by ';'.";
        }

        if (parsed.Endpoint is null || !parsed.Endpoint.Scheme.Equals("sb", StringComparison.OrdinalIgnoreCase) || string.IsNullOrEmpty(parsed.Endpoint.Host))
        {
            return "it needs Endpoint=sb://<namespace>/.";
        }

        var key = !string.IsNullOrEmpty(parsed.SharedAccessKeyName) && !string.IsNullOrEmpty(parsed.SharedAccessKey);
        var signature = !string.IsNullOrEmpty(parsed.SharedAccessSignature);
        if (key == signature)
        {
            return "it needs SharedAccessKeyName with SharedAccessKey, or SharedAccessSignature (one of the two).";
        }

        return string.IsNullOrEmpty(parsed.EntityPath) ? null : "it names an entity (EntityPath); the hub needs the namespace's.";
    }
}
