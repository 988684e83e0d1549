namespace IntegrationHub.Benchmarks;

/// <summary>What the hub's side of a benchmark takes from its environment, set by the driver.</summary>
internal static class SideSettings
{
    /// <summary>The size of a benchmark message.</summary>
    public const int MessageSize = 1024;

    /// <summary>The broker: <c>HUB_RABBITMQ_URI</c>, by default the one <c>scripts/rabbitmq start</c> runs.</summary>
    public static Uri RabbitMqUri { get; } = new(Environment.GetEnvironmentVariable("HUB_RABBITMQ_URI") is { Length: > 0 } uri ? uri : "amqp://guest:guest@127.0.0.1:5672/");

    /// <summary>The Service Bus double the driver started for a servicebus scenario: <c>HUB_SERVICEBUS_CONNECTION</c>.</summary>
    public static string? ServiceBusConnection => Environment.GetEnvironmentVariable("HUB_SERVICEBUS_CONNECTION");

    /// <summary>The transport's settings beside <c>Messaging:Transport</c>.</summary>
    public static void Transport(IDictionary<string, string?> settings, string transport)
    {
        settings["Messaging:Transport"] = transport;
        settings["Messaging:RabbitMq:Uri"] = RabbitMqUri.ToString();
        if (transport == "servicebus")
        {
            settings["Messaging:ServiceBus:ConnectionString"] = ServiceBusConnection;
        }
    }
}
