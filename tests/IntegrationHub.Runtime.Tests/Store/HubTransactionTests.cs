using System.Text;
using IntegrationHub.Core.Messaging;
using IntegrationHub.Runtime.Store;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Runtime.Tests.Store;

/// <summary>The hub transaction on the embedded store: state, inbox and messages commit together.</summary>
[Trait("Category", "Unit")]
public sealed class HubTransactionTests : IAsyncLifetime
{
    private readonly string folder = Directory.CreateTempSubdirectory("hub-transactions-").FullName;
    private HubHost hub = null!;

    public async ValueTask InitializeAsync()
    {
        hub = await HubHost.StartAsync(
            new Dictionary<string, string?> { ["Messaging:DatabasePath"] = Path.Combine(folder, "hub.db") },
            TimeProvider.System,
            services => services.AddHubMigrations(new HubMigration(500, "test: dossiers", "CREATE TABLE dossiers (code TEXT PRIMARY KEY, status INTEGER NOT NULL);")));
        await hub.Admin.EnsureQueueAsync("routing", CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        await hub.DisposeAsync();
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task Commit_StateInboxAndMessage_AreAllVisibleAfterwards()
    {
        await using (var transaction = await hub.Transactions.BeginAsync(CancellationToken.None))
        {
            await transaction.TryRecordProcessedAsync("RouteDossierOnQueue", "intake:1", CancellationToken.None);
            await using var state = hub.Services.GetRequiredService<OpenTransactions>().CreateCommand(transaction, "INSERT INTO dossiers (code, status) VALUES ('G22.99-241205-000123', 2);");
            await state.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
            transaction.Send("routing", Message("route:1"));
            await transaction.CommitAsync(CancellationToken.None);
        }

        Assert.Equal(1, await hub.ScalarAsync("SELECT COUNT(*) FROM dossiers"));
        Assert.Equal(1, await hub.ScalarAsync("SELECT COUNT(*) FROM hub_inbox WHERE consumer = 'RouteDossierOnQueue' AND message_id = 'intake:1'"));
        Assert.Equal("route:1", Assert.Single(await hub.Client.ReceiveAsync("routing", 10, TimeSpan.Zero, CancellationToken.None)).MessageId);
    }

    [Fact]
    public async Task SendAsync_InsideAHubTransaction_IsRefusedRatherThanWaitingForItself()
    {
        await using var transaction = await hub.Transactions.BeginAsync(CancellationToken.None);

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => hub.Client.SendAsync("routing", Message("route:1"), CancellationToken.None));

        Assert.Contains("IHubTransaction.Send", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_StateInboxAndMessage_CommitTogetherWhenTheWorkReturns()
    {
        var answer = await hub.Transactions.RunAsync(
            async (transaction, token) =>
            {
                await transaction.TryRecordProcessedAsync("RouteDossierOnQueue", "intake:1", token);
                await InsertDossierAsync(transaction, "G22.99-241205-000123");
                transaction.Send("routing", Message("route:1"));
                return "routed";
            },
            CancellationToken.None);

        Assert.Equal("routed", answer);
        Assert.Equal(1, await hub.ScalarAsync("SELECT COUNT(*) FROM dossiers"));
        Assert.Equal(1, await hub.ScalarAsync("SELECT COUNT(*) FROM hub_inbox WHERE consumer = 'RouteDossierOnQueue' AND message_id = 'intake:1'"));
        Assert.Equal("route:1", Assert.Single(await hub.Client.ReceiveAsync("routing", 10, TimeSpan.Zero, CancellationToken.None)).MessageId);
    }

    [Fact]
    public async Task RunAsync_WorkThrows_NothingItWroteOrSentRemains()
    {
        await Assert.ThrowsAsync<TimeoutException>(() => hub.Transactions.RunAsync<int>(
            async (transaction, token) =>
            {
                await transaction.TryRecordProcessedAsync("RouteDossierOnQueue", "intake:1", token);
                await InsertDossierAsync(transaction, "G22.99-241205-000123");
                transaction.Send("routing", Message("route:1"));
                throw new TimeoutException("the department system did not answer");
            },
            CancellationToken.None));

        Assert.Equal(0, await hub.ScalarAsync("SELECT COUNT(*) FROM dossiers"));
        Assert.Equal(0, await hub.ScalarAsync("SELECT COUNT(*) FROM hub_inbox"));
        Assert.Empty(await hub.Client.ReceiveAsync("routing", 10, TimeSpan.Zero, CancellationToken.None));
    }

    [Fact]
    public async Task RunAsync_SendAsyncOrCommitInside_IsRefusedRatherThanWaitingForItself()
    {
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => hub.Transactions.RunAsync(
            async (_, token) =>
            {
                await hub.Client.SendAsync("routing", Message("route:1"), token);
                return 0;
            },
            CancellationToken.None));
        var commit = await Assert.ThrowsAsync<InvalidOperationException>(() => hub.Transactions.RunAsync(
            async (transaction, token) =>
            {
                await transaction.CommitAsync(token);
                return 0;
            },
            CancellationToken.None));

        Assert.Contains("IHubTransaction.Send", refused.Message, StringComparison.Ordinal);
        Assert.Contains("return instead of committing", commit.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateCommand_SameSqlAgain_CarriesNoValueFromItsLastUse()
    {
        const string Insert = "INSERT INTO dossiers (code, status) VALUES (@code, @status);";
        await hub.Transactions.RunAsync(
            async (transaction, token) =>
            {
                await using var first = hub.Services.GetRequiredService<OpenTransactions>().CreateCommand(transaction, Insert);
                first.Param("@code", "G22.99-241205-000001").Param("@status", 2);
                return await first.ExecuteNonQueryAsync(token);
            },
            CancellationToken.None);

        // The statement is kept prepared, but a second use that forgets a value fails instead of inserting the first one's.
        var forgotten = await Assert.ThrowsAsync<InvalidOperationException>(() => hub.Transactions.RunAsync(
            async (transaction, token) =>
            {
                await using var second = hub.Services.GetRequiredService<OpenTransactions>().CreateCommand(transaction, Insert);
                second.Param("@code", "G22.99-241205-000002");
                return await second.ExecuteNonQueryAsync(token);
            },
            CancellationToken.None));

        Assert.Contains("@status", forgotten.Message, StringComparison.Ordinal);
        Assert.Equal(1, await hub.ScalarAsync("SELECT COUNT(*) FROM dossiers"));
    }

    private async Task InsertDossierAsync(IHubTransaction transaction, string code)
    {
        await using var state = hub.Services.GetRequiredService<OpenTransactions>().CreateCommand(transaction, "INSERT INTO dossiers (code, status) VALUES (@code, 2);");
        await state.Param("@code", code).ExecuteNonQueryAsync();
    }

    private static OutgoingMessage Message(string id) => new() { MessageId = id, Body = Encoding.UTF8.GetBytes("{}") };
}
