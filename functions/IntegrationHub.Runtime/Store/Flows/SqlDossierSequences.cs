using System.Data.Common;
using System.Globalization;
using IntegrationHub.Core.Dossiers;
using IntegrationHub.Core.Messaging;

namespace IntegrationHub.Runtime.Store.Flows;

/// <summary>
/// The dossier-code sequences on the hub database. On SQLite, where one transaction writes at a time
/// anyway, the number commits with the routing transaction, so a rolled-back routing leaves no gap. On
/// PostgreSQL the number is taken in a short transaction of its own: a day's row held until each
/// routing transaction commits would make every instance's routing wait in turn, so a rolled-back
/// routing leaves a gap there instead, never a number handed out twice.
/// </summary>
internal sealed class SqlDossierSequences(IHubDatabase database, OpenTransactions transactions) : IDossierSequences
{
    /// <summary>The day's next number, the day's first being 1.</summary>
    private const string Next = """
        INSERT INTO hub_dossier_sequences (agency, day, last) VALUES (@agency, @day, 1)
        ON CONFLICT (agency, day) DO UPDATE SET last = hub_dossier_sequences.last + 1
        RETURNING last
        """;

    public IDossierSequence For(IHubTransaction transaction) => database.Dialect == SqlDialect.PostgreSql
        ? new Sequence(async token => await database.OpenAsync(token), owned: true)
        : new Sequence(_ => ValueTask.FromResult(transactions.Of(transaction).Connection), owned: false);

    /// <summary>Takes numbers on a connection: its own (disposed after), or the transaction's.</summary>
    private sealed class Sequence(Func<CancellationToken, ValueTask<DbConnection>> connect, bool owned) : IDossierSequence
    {
        public async ValueTask<long> NextAsync(string agencyCode, DateOnly day, CancellationToken cancellationToken)
        {
            var connection = await connect(cancellationToken);
            try
            {
                await using var next = connection.Command(SqlDossierSequences.Next)
                    .Param("@agency", agencyCode).Param("@day", day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                return await next.ReadInt64Async(cancellationToken);
            }
            finally
            {
                if (owned)
                {
                    await connection.DisposeAsync();
                }
            }
        }
    }
}
