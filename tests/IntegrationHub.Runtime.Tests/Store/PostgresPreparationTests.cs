using IntegrationHub.Runtime.Store;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Runtime.Tests.Store;

/// <summary>
/// The PostgreSQL store prepares the statements it runs again on the server (PostgreSQL then parses and
/// plans each once per connection), unless the operator's connection string says how many to prepare.
/// </summary>
[Trait("Category", "Postgres")]
public sealed class PostgresPreparationTests(RabbitMqBroker broker, PostgresServer postgres) : IAsyncLifetime
{
    private readonly PostgresTestStore store = new(postgres, broker);

    public async ValueTask InitializeAsync() => await store.CreateAsync();

    public async ValueTask DisposeAsync() => await store.DisposeAsync();

    [Theory]
    [InlineData(null, true)]
    [InlineData("Max Auto Prepare=0", false)]
    public async Task StatementRunAgain_IsPreparedUnlessTheConnectionStringSaysOtherwise(string? operatorSetting, bool prepared)
    {
        var settings = store.Settings();
        if (operatorSetting is not null)
        {
            settings["Messaging:PostgreSql:ConnectionString"] = $"{store.ConnectionString};{operatorSetting}";
        }

        await using var hub = await HubHost.StartAsync(settings, TimeProvider.System);
        await using var connection = await hub.Services.GetRequiredService<IHubDatabase>().OpenAsync(TestContext.Current.CancellationToken);
        for (var run = 0; run < 3; run++)
        {
            await using var again = connection.Command("SELECT COUNT(*) FROM hub_outbox WHERE due_at <= @now").Param("@now", run);
            await again.ExecuteScalarAsync(TestContext.Current.CancellationToken);
        }

        await using var count = connection.Command("SELECT COUNT(*) FROM pg_prepared_statements WHERE statement LIKE '%FROM hub_outbox WHERE due_at%'");
        Assert.Equal(prepared ? 1L : 0L, Convert.ToInt64(await count.ExecuteScalarAsync(TestContext.Current.CancellationToken), System.Globalization.CultureInfo.InvariantCulture));
    }
}
