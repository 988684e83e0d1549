namespace IntegrationHub.Benchmarks;

/// <summary>What the hub's side of a benchmark takes from its environment, set by the driver.</summary>
internal static class SideSettings
{
    /// <summary>The size of a benchmark message.</summary>
    public const int MessageSize = 1024;

    /// <summary>The broker: <c>HUB_RABBITMQ_URI</c>, by default the one <c>scripts/rabbitmq start</c> runs.</summary>
    public static Uri RabbitMqUri { get; } = new(Environment.GetEnvironmentVariable("HUB_RABBITMQ_URI") is { Length: > 0 } uri ? uri : "amqp://guest:guest@127.0.0.1:5672/");
}
