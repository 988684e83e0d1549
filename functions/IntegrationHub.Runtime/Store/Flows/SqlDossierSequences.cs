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
/// PostgreSQL the numbers are taken in short transactions of their own (<see cref="SharedSequence"/>):
/// a day's row held until each routing transaction commits would make every instance's routing wait in
/// turn, so a rolled-back routing leaves a gap there instead, never a number handed out twice. That
/// short transaction commits without waiting for its flush to disk (<c>synchronous_commit</c> off for
/// it alone): the row is free for the next routing at once instead of after a flush, so routings do not
/// queue on the day's row one flush after another. No number can be handed out twice: a routing that
/// uses the number commits later, waiting for its own flush, and the write-ahead log is flushed in
/// order, so the number's commit is on disk before any routing that used it is; a crash before that
/// loses both (the dossier is routed again, and the number is a gap or taken again, never seen by
/// anyone). The city code's unique key stands behind it.
/// </summary>
internal sealed class SqlDossierSequences(IHubDatabase database, OpenTransactions transactions) : IDossierSequences
{
    /// <summary>The day's next <c>@count</c> numbers, the day's first being 1; returns the last of them.</summary>
    private const string Next = """
        INSERT INTO hub_dossier_sequences (agency, day, last) VALUES (@agency, @day, @count)
        ON CONFLICT (agency, day) DO UPDATE SET last = hub_dossier_sequences.last + @count
        RETURNING last
        """;

    private readonly IDossierSequence? shared = database is PostgresHubDatabase postgres ? new SharedSequence(postgres) : null;

    public IDossierSequence For(IHubTransaction transaction) => shared ?? new Sequence(transactions.Of(transaction).Connection);

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>
    /// PostgreSQL: one short transaction at a time, on a connection from outside the steps' pool
    /// (<see cref="PostgresHubDatabase.SidePoolSize"/>), its statement and commit sent in one round trip.
    /// The numbers asked for while one is under way are taken together by the next (the day's row moved
    /// on by their count, each asker given one of them in turn): under load a round trip and a commit
    /// serve many routings, and this instance's routings never wait for each other on the day's row.
    /// Nothing is taken ahead of an ask, so a restart leaves no gap. An asker that gives up before its
    /// number comes leaves that number a gap.
    /// </summary>
    private sealed class SharedSequence(PostgresHubDatabase database) : IDossierSequence
    {
        private readonly Lock gate = new();
        private List<Ask> waiting = [];
        private bool taking;

        public async ValueTask<long> NextAsync(string agencyCode, DateOnly day, CancellationToken cancellationToken)
        {
            var ask = new Ask(agencyCode, day);
            bool lead;
            lock (gate)
            {
                waiting.Add(ask);
                lead = !taking;
                taking = true;
            }

            if (lead)
            {
                // The round trips run apart from any one asker, whose step may be cancelled or end first.
                _ = Task.Run(TakeWhileAskedAsync, CancellationToken.None);
            }

            return await ask.Number.Task.WaitAsync(cancellationToken);
        }

        private async Task TakeWhileAskedAsync()
        {
            while (true)
            {
                List<Ask> asks;
                lock (gate)
                {
                    if (waiting.Count == 0)
                    {
                        taking = false;
                        return;
                    }

                    asks = waiting;
                    waiting = [];
                }

                foreach (var sameDay in asks.GroupBy(a => (a.AgencyCode, a.Day)))
                {
                    await TakeAsync(sameDay.Key.AgencyCode, sameDay.Key.Day, [.. sameDay]);
                }
            }
        }

        private async Task TakeAsync(string agencyCode, DateOnly day, List<Ask> asks)
        {
            try
            {
                var last = await ReserveAsync(agencyCode, day, asks.Count);
                for (var i = 0; i < asks.Count; i++)
                {
                    asks[i].Number.TrySetResult(last - asks.Count + 1 + i);
                }
            }
            catch (Exception ex)
            {
                // Each asker's routing fails with the error and is retried as any step is; the next asks
                // are taken by the next round trip.
                asks.ForEach(a => a.Number.TrySetException(ex));
            }
        }

        /// <summary>Moves the day's row on by <paramref name="count"/> and returns its new last number.</summary>
        private async Task<long> ReserveAsync(string agencyCode, DateOnly day, int count)
        {
            await using var connection = await database.OpenSideAsync(CancellationToken.None);
            await using var transaction = await connection.BeginTransactionAsync(CancellationToken.None);
            await using var batch = UnflushedCommit.Of(connection, transaction, new NpgsqlBatchCommand(Next)
            {
                Parameters = { new("@agency", agencyCode), new("@day", Day(day)), new("@count", (long)count) },
            });
            await using var reader = await batch.ExecuteReaderAsync(CancellationToken.None);
            var last = await reader.ReadAsync(CancellationToken.None) ? reader.GetInt64(0) : throw new InvalidOperationException("The dossier-code sequence returned no number.");
            // The statements after it (and their errors) are read to the end before the numbers are used.
            while (await reader.NextResultAsync(CancellationToken.None))
            {
            }

            return last;
        }

        private sealed record Ask(string AgencyCode, DateOnly Day)
        {
            public TaskCompletionSource<long> Number { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    /// <summary>SQLite: the number on the routing transaction's connection, committed with it.</summary>
    private sealed class Sequence(DbConnection connection) : IDossierSequence
    {
        public async ValueTask<long> NextAsync(string agencyCode, DateOnly day, CancellationToken cancellationToken)
        {
            await using var next = connection.Command(SqlDossierSequences.Next).Param("@agency", agencyCode).Param("@day", Day(day)).Param("@count", 1L);
            return await next.ReadInt64Async(cancellationToken);
        }
    }
}
