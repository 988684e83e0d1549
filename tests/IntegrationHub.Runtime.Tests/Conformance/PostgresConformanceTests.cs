namespace IntegrationHub.Runtime.Tests.Conformance;

/// <summary>
/// The conformance suite on the RabbitMQ transport with the PostgreSQL store, as several hub instances
/// run: the outbox, duplicate detection, delays and held messages in PostgreSQL; each test in a
/// schema of its own.
/// </summary>
public sealed class PostgresConformanceTests(RabbitMqBroker broker, PostgresServer postgres) : BrokerConformanceTests
{
    private readonly PostgresTestStore store = new(postgres, broker);

    protected override IReadOnlyDictionary<string, string?> TransportSettings => store.Settings();

    protected override Task PrepareStoreAsync() => store.CreateAsync();

    protected override async Task RemoveStoreAsync() => await store.DisposeAsync();

    protected override Task RemoveQueuesAsync(IEnumerable<string> queues) => broker.DeleteQueuesAsync(queues);
}
