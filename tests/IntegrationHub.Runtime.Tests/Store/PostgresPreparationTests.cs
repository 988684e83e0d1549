using IntegrationHub.Runtime.Store;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Runtime.Tests.Store;

/// <summary>
/// The PostgreSQL store prepares the statements it runs again on the server (PostgreSQL then parses and
/// plans each once per connection), and keeps an instance's connections few, unless the operator's
/// connection string says otherwise.
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
        var settings = operatorSetting is null ? store.Settings() : store.Settings(operatorSetting);

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

    [Fact]
    public async Task StatementSentWithTheCommitAgain_GoesByPositionAndIsPrepared()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var hub = await HubHost.StartAsync(store.Settings("Maximum Pool Size=1"), TimeProvider.System);
        var open = hub.Services.GetRequiredService<OpenTransactions>();
        for (var run = 0; run < 3; run++)
        {
            await using var transaction = await hub.Transactions.BeginAsync(cancellationToken);
            await using var write = open.CreateCommand(transaction, "UPDATE hub_outbox SET claimed_until = @until WHERE id = @id AND claimed_until <> @until")
                .Param("@until", (long)run).Param("@id", -1L);
            await open.Of(transaction).ExecuteWithCommitAsync(write, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        await using var connection = await hub.Services.GetRequiredService<IHubDatabase>().OpenAsync(cancellationToken);
        // Only this statement's form: the relay's claim, which also sets claimed_until, may be prepared on the one connection too.
        await using var prepared = connection.Command("SELECT statement FROM pg_prepared_statements WHERE statement LIKE 'UPDATE hub_outbox SET claimed_until%' AND statement LIKE '%claimed_until <> %'");
        Assert.Equal("UPDATE hub_outbox SET claimed_until = $1 WHERE id = $2 AND claimed_until <> $1", await prepared.ExecuteScalarAsync(cancellationToken));
    }

    /// <summary>What each transaction runs while it holds its connection.</summary>
    private const string Held = "SELECT pg_sleep(0.2)";

    [Theory]
    [InlineData(null, 16)]
    [InlineData("Maximum Pool Size=3", 3)]
    public async Task MoreTransactionsAtOnceThanThePool_TakeTurnsOnThePoolsConnections(string? operatorSetting, int most)
    {
        var application = $"pool-{Guid.NewGuid():N}";
        var settings = store.Settings($"Application Name={application}" + (operatorSetting is null ? "" : $";{operatorSetting}"));
        await using var hub = await HubHost.StartAsync(settings, TimeProvider.System);
        var open = hub.Services.GetRequiredService<OpenTransactions>();
        var cancellationToken = TestContext.Current.CancellationToken;

        using var running = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var watched = WatchTransactionsAsync(application, running.Token);
        await Task.WhenAll(Enumerable.Range(0, 40).Select(async _ =>
        {
            await using var transaction = await hub.Transactions.BeginAsync(cancellationToken);
            await using var wait = open.CreateCommand(transaction, Held);
            await wait.ExecuteNonQueryAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }));
        await running.CancelAsync();

        // Every one committed, never more at once than the pool has connections, and the pool was used to the full.
        Assert.Equal(most, await watched);
    }

    /// <summary>The most connections of <paramref name="application"/> seen running <see cref="Held"/> at once, until cancelled.</summary>
    private async Task<long> WatchTransactionsAsync(string application, CancellationToken cancellationToken)
    {
        await using var connection = new Npgsql.NpgsqlConnection(store.ConnectionString);
        await connection.OpenAsync(CancellationToken.None);
        long most = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            await using var count = connection.Command($"SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = @application AND state = 'active' AND query = '{Held}'").Param("@application", application);
            most = Math.Max(most, Convert.ToInt64(await count.ExecuteScalarAsync(CancellationToken.None), System.Globalization.CultureInfo.InvariantCulture));
            await Task.Delay(5, CancellationToken.None);
        }

        return most;
    }
}
