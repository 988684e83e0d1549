using IntegrationHub.Runtime.Store;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Runtime.Tests.Store;

/// <summary>Migrations on the PostgreSQL store, where several instances start against one database.</summary>
[Trait("Category", "Unit")]
public sealed class PostgresMigrationTests(PostgresServer postgres, RabbitMqBroker broker) : IAsyncLifetime
{
    private static readonly HubMigration Dossiers = new(100, "flows: dossiers", "CREATE TABLE dossiers (code TEXT PRIMARY KEY);", "CREATE TABLE dossiers (code TEXT PRIMARY KEY);");
    private static readonly HubMigration Timeline = new(101, "flows: timeline", "", "CREATE TABLE timeline (code TEXT NOT NULL REFERENCES dossiers (code), at BIGINT NOT NULL);");
    private readonly PostgresTestStore store = new(postgres, broker);

    public async ValueTask InitializeAsync() => await store.CreateAsync();

    public async ValueTask DisposeAsync() => await store.DisposeAsync();

    [Fact]
    public async Task Start_ThreeInstancesAtOnce_ApplyEachMigrationOnce()
    {
        var hosts = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => StartAsync(Timeline, Dossiers)));
        try
        {
            Assert.Equal(1, await hosts[0].ScalarAsync("SELECT COUNT(*) FROM hub_migrations WHERE version = 101"));
            // Messaging's migrations and the two above.
            Assert.Equal(MessagingMigrations.All.Count() + 2, await hosts[1].ScalarAsync("SELECT COUNT(*) FROM hub_migrations"));
            Assert.True(await hosts[2].TableExistsAsync("timeline"));
            Assert.True(await hosts[2].TableExistsAsync("hub_held_messages"));
            Assert.False(await hosts[2].TableExistsAsync("hub_queue_messages"));
        }
        finally
        {
            foreach (var host in hosts)
            {
                await host.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Start_AMigrationWithoutPostgreSql_FailsNamingIt()
    {
        var sqliteOnly = new HubMigration(102, "audit: entries", "CREATE TABLE audit (id INTEGER);");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => StartAsync(sqliteOnly));

        Assert.Contains("Migration 102 (audit: entries) has no PostgreSQL SQL", error.Message, StringComparison.Ordinal);
    }

    private Task<HubHost> StartAsync(params HubMigration[] migrations) =>
        HubHost.StartAsync(store.Settings(), TimeProvider.System, services => services.AddHubMigrations(migrations));
}
