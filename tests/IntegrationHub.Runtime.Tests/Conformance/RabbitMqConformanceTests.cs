namespace IntegrationHub.Runtime.Tests.Conformance;

/// <summary>The conformance suite on the RabbitMQ transport, against the real broker.</summary>
public sealed class RabbitMqConformanceTests(RabbitMqBroker broker) : QueueConformanceTests, IClassFixture<RabbitMqBroker>
{
    protected override IReadOnlyDictionary<string, string?> TransportSettings { get; } = new Dictionary<string, string?>
    {
        ["Messaging:Transport"] = "rabbitmq",
        ["Messaging:RabbitMq:Uri"] = broker.Uri.ToString(),
    };
}
