using Microsoft.Data.Sqlite;

namespace IntegrationHub.EndToEnd.Tests.Security;

/// <summary>
/// Everything a request could change in an embedded hub's store, counted: dossiers and their
/// versions, timeline steps, identity lookups, inbox records, and messages in every queue.
/// </summary>
public sealed record StoreSnapshot(long Dossiers, long Versions, long TimelineSteps, long Lookups, long Inbox, long Messages)
{
    public static async Task<StoreSnapshot> TakeAsync(string databasePath)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Mode = SqliteOpenMode.ReadOnly }.ToString());
        await connection.OpenAsync();
        async Task<long> CountAsync(string sql)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            return await command.ExecuteScalarAsync() is long n ? n : 0;
        }

        return new StoreSnapshot(
            await CountAsync("SELECT COUNT(*) FROM hub_dossiers"),
            await CountAsync("SELECT COALESCE(SUM(version), 0) FROM hub_dossiers"),
            await CountAsync("SELECT COUNT(*) FROM hub_dossier_timeline"),
            await CountAsync("SELECT COUNT(*) FROM hub_identity_lookups"),
            await CountAsync("SELECT COUNT(*) FROM hub_inbox"),
            await CountAsync("SELECT COUNT(*) FROM hub_queue_messages"));
    }
}
