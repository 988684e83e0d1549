using IntegrationHub.Runtime.Store;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Runtime.Tests.Store;

/// <summary>Components contribute migrations; each is applied once, in version order, and a clash stops the host.</summary>
[Trait("Category", "Unit")]
public sealed class MigrationTests : IDisposable
{
    private static readonly HubMigration Dossiers = new(100, "flows: dossiers", "CREATE TABLE dossiers (code TEXT PRIMARY KEY);");
    // Needs the dossiers table: it only applies after version 100.
    private static readonly HubMigration Timeline = new(101, "flows: timeline", "CREATE TABLE timeline (code TEXT NOT NULL, at BIGINT NOT NULL); CREATE INDEX dossiers_by_code ON dossiers (code);");

    private readonly string folder = Directory.CreateTempSubdirectory("hub-migrations-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public async Task Start_ContributedMigrations_AreAppliedOnceInVersionOrder()
    {
        await using (var first = await StartAsync(Timeline, Dossiers))
        {
            Assert.Equal(1, await first.ScalarAsync("SELECT COUNT(*) FROM sqlite_master WHERE name = 'timeline'"));
        }

        await using var second = await StartAsync(Dossiers, Timeline);

        Assert.Equal(2, await second.ScalarAsync("SELECT COUNT(*) FROM hub_migrations WHERE version IN (100, 101)"));
        Assert.Equal(1, await second.ScalarAsync("SELECT COUNT(*) FROM sqlite_master WHERE name = 'dossiers_by_code'"));
    }

    [Fact]
    public async Task Start_TwoMigrationsWithOneVersion_FailsNamingBoth()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => StartAsync(Dossiers, Dossiers with { Name = "audit: entries" }));

        Assert.Contains("Two migrations claim version 100: 'flows: dossiers' and 'audit: entries'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_AShippedMigrationRenamed_Fails()
    {
        await (await StartAsync(Dossiers)).DisposeAsync();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => StartAsync(Dossiers with { Name = "flows: cases" }));

        Assert.Contains("recorded in the hub database as 'flows: dossiers'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_AFailingMigration_LeavesNothingOfItAndStopsTheHost()
    {
        var broken = new HubMigration(102, "flows: broken", "CREATE TABLE half (id INTEGER); CREATE TABLE;");

        await Assert.ThrowsAnyAsync<Exception>(() => StartAsync(broken));
        await using var after = await StartAsync();

        Assert.Equal(0, await after.ScalarAsync("SELECT COUNT(*) FROM sqlite_master WHERE name = 'half'"));
        Assert.Equal(0, await after.ScalarAsync("SELECT COUNT(*) FROM hub_migrations WHERE version = 102"));
    }

    private Task<HubHost> StartAsync(params HubMigration[] migrations) =>
        HubHost.StartAsync(new Dictionary<string, string?> { ["Messaging:DatabasePath"] = Path.Combine(folder, "hub.db") }, TimeProvider.System, services => services.AddHubMigrations(migrations));
}
