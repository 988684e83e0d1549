using IntegrationHub.Testing;

// One broker and one database server for the whole test run: each test class that needs them takes
// them in its constructor, and each test makes its own queues, schema or store on them.
[assembly: AssemblyFixture(typeof(RabbitMqBroker))]
[assembly: AssemblyFixture(typeof(PostgresServer))]
