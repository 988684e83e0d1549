using IntegrationHub.Core.Messaging;
using IntegrationHub.Runtime.Queues;
using IntegrationHub.Runtime.RabbitMq;

namespace IntegrationHub.Runtime.Store.PostgreSql;

/// <summary>Begins hub transactions on the PostgreSQL store.</summary>
internal sealed class PostgresHubTransactions(PostgresHubDatabase database, QueueRegistry registry, OutboxRelay relay, OpenTransactions open, TimeProvider time) : IHubTransactions
{
    private readonly OutboxNotices notices = new(time);

    public async ValueTask<IHubTransaction> BeginAsync(CancellationToken cancellationToken)
    {
        var connection = await database.OpenNpgsqlAsync(cancellationToken);
        try
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken);
            return open.Begun(new PostgresHubTransaction(connection, transaction, registry, relay, notices, open, time));
        }
        catch
        {
            // Whatever failed, the connection goes back to the pool before the error goes up.
            await connection.DisposeAsync();
            throw;
        }
    }
}
