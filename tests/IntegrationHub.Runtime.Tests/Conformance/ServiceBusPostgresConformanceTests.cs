namespace IntegrationHub.Runtime.Tests.Conformance;

/// <summary>
/// The conformance suite on the Azure Service Bus transport with the PostgreSQL store, as several hub
/// instances run: the outbox, the duplicate claims, delays and the record of pulls in PostgreSQL; each
/// test in a schema of its own and a namespace of its own.
/// </summary>
public sealed class ServiceBusPostgresConformanceTests(PostgresServer postgres) : ServiceBusConformanceTests
{
    private string store = "";

    protected override IReadOnlyDictionary<string, string?> TransportSettings => new Dictionary<string, string?>(base.TransportSettings)
    {
        ["Messaging:Store"] = "postgres",
        ["Messaging:PostgreSql:ConnectionString"] = store,
    };

    protected override async Task PrepareStoreAsync()
    {
        store = await postgres.CreateStoreAsync();
        await base.PrepareStoreAsync();
    }

    protected override async Task RemoveStoreAsync()
    {
        await base.RemoveStoreAsync();
        await postgres.DropStoreAsync(store);
    }
}
