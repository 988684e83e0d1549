using System.Data.Common;
using System.Globalization;
using IntegrationHub.Core.Dossiers;
using IntegrationHub.Core.Messaging;
using IntegrationHub.Runtime.Store.PostgreSql;
using Npgsql;

namespace IntegrationHub.Runtime.Store.Flows;

/// <summary>
/// The dossier-code sequences on the hub database. On SQLite, where one transaction writes at a time
/// anyway, the number commits with the routing transaction, so a rolled-back routing leaves no gap. On
/// PostgreSQL the number is taken in a short transaction of its own: a day's row held until each
/// routing transaction commits would make every instance's routing wait in turn, so a rolled-back
/// routing leaves a gap there instead, never a number handed out twice. That short transaction commits
/// without waiting for its flush to disk (<c>synchronous_commit</c> off for it alone): the row is free
/// for the next routing at once instead of after a flush, so routings do not queue on the day's row one
/// flush after another. No number can be handed out twice: a routing that uses the number commits
/// later, waiting for its own flush, and the write-ahead log is flushed in order, so the number's commit
/// is on disk before any routing that used it is; a crash before that loses both (the dossier is routed
/// again, and the number is a gap or taken again, never seen by anyone). The city code's unique key
/// stands behind it.
/// </summary>
internal sealed class SqlDossierSequences(IHubDatabase database, OpenTransactions transactions) : IDossierSequences
{
    /// <summary>The day's next number, the day's first being 1.</summary>
    private const string Next = """
        INSERT INTO hub_dossier_sequences (agency, day, last) VALUES (@agency, @day, 1)
        ON CONFLICT (agency, day) DO UPDATE SET last = hub_dossier_sequences.last + 1
        RETURNING last
        """;

    public IDossierSequence For(IHubTransaction transaction) => database is PostgresHubDatabase postgres
        ? new ShortTransactionSequence(postgres)
        : new Sequence(transactions.Of(transaction).Connection);

    /// <summary>
    /// PostgreSQL: the number in a transaction of its own, sent with its commit in one round trip, on a
    /// connection from outside the steps' pool (<see cref="PostgresHubDatabase.SidePoolSize"/>).
    /// </summary>
    private sealed class ShortTransactionSequence(PostgresHubDatabase database) : IDossierSequence
    {
        public async ValueTask<long> NextAsync(string agencyCode, DateOnly day, CancellationToken cancellationToken)
        {
            await using var connection = await database.OpenSideAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using var batch = new NpgsqlBatch(connection, transaction)
            {
                BatchCommands =
                {
                    new NpgsqlBatchCommand(Next)
                    {
                        Parameters = { new("@agency", agencyCode), new("@day", Day(day)) },
                    },
                    new NpgsqlBatchCommand("SET LOCAL synchronous_commit TO OFF"),
                    new NpgsqlBatchCommand("COMMIT"),
                },
            };
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
            var next = await reader.ReadAsync(cancellationToken) ? reader.GetInt64(0) : throw new InvalidOperationException("The dossier-code sequence returned no number.");
            // The statements after it (and their errors) are read to the end before the number is used.
            while (await reader.NextResultAsync(cancellationToken))
            {
            }

            return next;
        }
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>SQLite: the number on the routing transaction's connection, committed with it.</summary>
    private sealed class Sequence(DbConnection connection) : IDossierSequence
    {
        public async ValueTask<long> NextAsync(string agencyCode, DateOnly day, CancellationToken cancellationToken)
        {
            await using var next = connection.Command(SqlDossierSequences.Next).Param("@agency", agencyCode).Param("@day", Day(day));
            return await next.ReadInt64Async(cancellationToken);
        }
    }
}
