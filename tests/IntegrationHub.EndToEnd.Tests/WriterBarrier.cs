using IntegrationHub.Core.Messaging;

namespace IntegrationHub.EndToEnd.Tests;

/// <summary>Waiting on the hub's writes rather than on the clock.</summary>
public static class WriterBarrier
{
    /// <summary>
    /// Completes once every write the hub had been given before is committed: an empty transaction goes
    /// through the hub database's one writer, which takes writes in the order they came.
    /// </summary>
    public static async Task WritesSettledAsync(this InProcessHub hub)
    {
        ArgumentNullException.ThrowIfNull(hub);
        await using var transaction = await hub.Get<IHubTransactions>().BeginAsync(CancellationToken.None);
        await transaction.CommitAsync(CancellationToken.None);
    }
}
