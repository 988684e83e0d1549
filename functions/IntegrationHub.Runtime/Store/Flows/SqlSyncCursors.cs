using IntegrationHub.Core.Messaging;
using IntegrationHub.Core.Store;

namespace IntegrationHub.Runtime.Store.Flows;

/// <summary>Portal sync cursors on the hub database.</summary>
internal sealed class SqlSyncCursors(IHubDatabase database, OpenTransactions transactions, TimeProvider time) : ISyncCursors
{
    public async Task<string?> GetAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var select = connection.Command("SELECT cursor FROM hub_sync_cursors WHERE name = @name").Param("@name", name);
        return await select.ExecuteScalarAsync(cancellationToken) as string;
    }

    public async Task SetAsync(IHubTransaction transaction, string name, string cursor, CancellationToken cancellationToken)
    {
        await using var upsert = transactions.Of(transaction).CreateCommand("""
            INSERT INTO hub_sync_cursors (name, cursor, updated_at) VALUES (@name, @cursor, @at)
            ON CONFLICT (name) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at
            """).Param("@name", name).Param("@cursor", cursor).Param("@at", time.GetUtcNow());
        await upsert.ExecuteNonQueryAsync(cancellationToken);
    }
}
