using IntegrationHub.Core.Messaging;
using IntegrationHub.Runtime.Queues;
using IntegrationHub.Runtime.Store;

namespace IntegrationHub.Runtime.Embedded;

/// <summary>Declares embedded queues (a row in the registry) and counts their rows by state.</summary>
internal sealed class EmbeddedAdmin(SqliteHubDatabase database, QueueRegistry registry, TimeProvider time) : IQueueAdmin
{
    public Task EnsureQueueAsync(string queue, CancellationToken cancellationToken) => registry.DeclareAsync(queue, cancellationToken);

    public Task<IReadOnlyList<string>> ListQueuesAsync(CancellationToken cancellationToken) => registry.ListAsync(cancellationToken);

    public async Task<QueueStatistics> GetStatisticsAsync(string queue, CancellationToken cancellationToken)
    {
        await registry.EnsureKnownAsync(queue, cancellationToken);
        await using var connection = await database.OpenSqliteAsync(cancellationToken);
        return EmbeddedMessages.Statistics(connection, QueueNames.SourceOf(queue), time.GetUtcNow());
    }
}
