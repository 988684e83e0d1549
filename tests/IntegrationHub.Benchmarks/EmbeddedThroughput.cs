using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace IntegrationHub.Benchmarks;

/// <summary>
/// The embedded transport through the function runtime (16 calls at once, prefetch 240; the hub's
/// process on each build) against the strongest raw loop for the same work: one SQLite connection
/// that inserts 100 rows in a transaction, locks them with UPDATE … RETURNING in the next and deletes
/// them in a third, in turn, so that no lock contention slows it. Both in WAL mode with
/// synchronous=FULL (the hub's default), so every commit waits for the disk.
/// </summary>
internal sealed class EmbeddedThroughput(BenchmarkSettings settings) : Scenario(settings)
{
    private const int Batch = 100;

    public override string Name => "embedded-throughput";

    public override string Description => "the embedded transport through the function runtime vs raw SQLite insert, lock and delete on one connection";

    public override bool RunsSides => true;

    public const string BaselineText = "one SQLite connection inserting 100 rows, locking them (UPDATE … RETURNING) and deleting them, a transaction each, in turn; WAL, synchronous=FULL";

    public override async Task<IReadOnlyList<Figure>> RunAsync()
    {
        var load = BenchmarkSettings.LoadAverage();
        var (hub, baseline) = await AlternateAsync(Name, "messages", Settings.Messages, new Dictionary<string, string?>(), MeasuredServers.None,
            messages => Task.Run(() => Raw(messages)));
        return Figures("messages", hub, baseline, BaselineText, load);
    }

    private static TimeSpan Raw(int messages)
    {
        SQLitePCL.Batteries_V2.Init();
        var folder = Directory.CreateTempSubdirectory("hub-bench-raw-").FullName;
        try
        {
            var path = Path.Combine(folder, "raw.db");
            using var connection = Open(path);
            Execute(connection, "PRAGMA journal_mode = WAL;");
            Execute(connection, """
                CREATE TABLE messages (id INTEGER PRIMARY KEY AUTOINCREMENT, queue TEXT NOT NULL, body BLOB NOT NULL, visible_at BIGINT NOT NULL, lock_token TEXT, delivery_count INTEGER NOT NULL DEFAULT 0);
                CREATE INDEX messages_ready ON messages (queue, visible_at, id);
                """);
            var watch = Stopwatch.StartNew();
            for (var sent = 0; sent < messages; sent += Batch)
            {
                Produce(connection, Math.Min(Batch, messages - sent));
                ConsumeBatch(connection);
            }

            return watch.Elapsed;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static void Produce(SqliteConnection connection, int messages)
    {
        var body = RabbitMqThroughput.RawBody();
        using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO messages (queue, body, visible_at) VALUES ('bench', $body, 0);";
        insert.Parameters.AddWithValue("$body", body);
        for (var sent = 0; sent < messages; sent += Batch)
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            insert.Transaction = transaction;
            for (var i = 0; i < Math.Min(Batch, messages - sent); i++)
            {
                insert.ExecuteNonQuery();
            }

            transaction.Commit();
        }
    }

    private static int ConsumeBatch(SqliteConnection connection)
    {
        var ids = new List<long>(Batch);
        using (var transaction = connection.BeginTransaction(deferred: false))
        {
            using var claim = connection.CreateCommand();
            claim.Transaction = transaction;
            claim.CommandText = """
                UPDATE messages SET lock_token = 'lock', visible_at = 9999999999999, delivery_count = delivery_count + 1
                WHERE id IN (SELECT id FROM messages WHERE queue = 'bench' AND visible_at <= 1 ORDER BY visible_at, id LIMIT 100)
                RETURNING id, body;
                """;
            using var reader = claim.ExecuteReader();
            while (reader.Read())
            {
                ids.Add(reader.GetInt64(0));
                _ = (byte[])reader[1];
            }

            reader.Close();
            transaction.Commit();
        }

        if (ids.Count == 0)
        {
            return 0;
        }

        using (var transaction = connection.BeginTransaction(deferred: false))
        {
            using var delete = connection.CreateCommand();
            delete.Transaction = transaction;
            delete.CommandText = "DELETE FROM messages WHERE id = $id AND lock_token = 'lock';";
            var id = delete.Parameters.Add("$id", SqliteType.Integer);
            foreach (var value in ids)
            {
                id.Value = value;
                delete.ExecuteNonQuery();
            }

            transaction.Commit();
        }

        return ids.Count;
    }

    private static SqliteConnection Open(string path)
    {
        var connection = new SqliteConnection($"Data Source={path}");
        connection.Open();
        Execute(connection, "PRAGMA synchronous = FULL;");
        return connection;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
