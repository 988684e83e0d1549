using IntegrationHub.Core.Messaging;
using IntegrationHub.Core.Store;

namespace IntegrationHub.Runtime.Store.Flows;

/// <summary>Deadline alerts on the hub database: the primary key keeps one per dossier per threshold.</summary>
internal sealed class SqlDeadlineAlerts(OpenTransactions transactions) : IDeadlineAlerts
{
    public async Task<bool> TryRaiseAsync(IHubTransaction transaction, string portalCode, string threshold, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var insert = transactions.Of(transaction).CreateCommand("""
            INSERT INTO hub_deadline_alerts (portal_code, threshold, raised_at) VALUES (@code, @threshold, @at)
            ON CONFLICT (portal_code, threshold) DO NOTHING
            """).Param("@code", portalCode).Param("@threshold", threshold).Param("@at", at);
        return await insert.ExecuteNonQueryAsync(cancellationToken) == 1;
    }
}
