namespace IntegrationHub.Runtime.Tests.Conformance;

/// <summary>
/// The conformance suite on the RabbitMQ transport with the PostgreSQL store, as several hub instances
/// run: the outbox, duplicate detection, delays and held messages in PostgreSQL; each test in a
/// schema of its own.
/// </summary>
public sealed class PostgresConformanceTests(RabbitMqBroker broker, PostgresServer postgres) : BrokerConformanceTests, IClassFixture<RabbitMqBroker>, IClassFixture<PostgresServer>
{
    private string? store;

    protected override IReadOnlyDictionary<string, string?> TransportSettings => new Dictionary<string, string?>
    {
        ["Messaging:Transport"] = "rabbitmq",
        ["Messaging:RabbitMq:Uri"] = broker.Uri.ToString(),
        ["Messaging:RabbitMq:ReconnectInterval"] = "00:00:01",
        ["Messaging:Store"] = "postgres",
        ["Messaging:PostgreSql:ConnectionString"] = store,
    };

    protected override async Task PrepareStoreAsync() => store = await postgres.CreateStoreAsync();

    protected override Task RemoveStoreAsync() => postgres.DropStoreAsync(store!);

    protected override Task RemoveQueuesAsync(IEnumerable<string> queues) => broker.DeleteQueuesAsync(queues);
}
