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

    private static OutgoingMessage Message(string id) => new() { MessageId = id, Body = Encoding.UTF8.GetBytes("{}") };
}
