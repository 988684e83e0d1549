using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace IntegrationHub.Benchmarks;

/// <summary>
/// End-to-end throughput on SQLite. The baseline is a raw loop of two connections working at once: one
/// inserts 100 rows per transaction, the other locks up to 100 visible rows per transaction with
/// UPDATE … RETURNING and deletes them in the next. Against it, the embedded transport driven by the
/// function runtime (16 calls at once, prefetch 240). Both in WAL mode with synchronous=FULL (the hub's
/// default), so every commit waits for the disk. For context each round also times the same work done
/// by one connection in turn (insert 100, lock them, delete them), which no lock contention slows.
/// </summary>
internal sealed class EmbeddedThroughput(BenchmarkSettings settings) : Scenario(settings)
{
    private const int Batch = 100;

    public override string Name => "embedded-throughput";

    public override string Description => "raw SQLite insert + lock + delete vs the embedded transport through the function runtime";

    public override async Task<string> RunAsync()
    {
        var (hub, baseline) = await CompareAsync(HubAsync, messages => Task.Run(() => Raw(messages, concurrent: true)));
        var sequential = Settings.Messages / Raw(Settings.Messages, concurrent: false).TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  context: the same rows inserted, locked and deleted by one connection in turn: {sequential:0}/s"));
        return Result(hub, baseline);
    }

    internal static async Task<TimeSpan> HubAsync(int messages, BenchmarkSettings settings)
    {
        var prepared = Enumerable.Range(0, messages).Select(BenchmarkHub.Message).ToArray();
        await using var hub = await BenchmarkHub.StartAsync("embedded", "bench", messages, settings);
        var watch = Stopwatch.StartNew();
        await RabbitMqThroughput.SendAsync(hub, "bench", prepared, producers: 1);
        await hub.Countdown.Done;
        return watch.Elapsed;
    }

    private Task<TimeSpan> HubAsync(int messages) => HubAsync(messages, Settings);

    private static TimeSpan Raw(int messages, bool concurrent)
    {
        SQLitePCL.Batteries_V2.Init();
        var folder = Directory.CreateTempSubdirectory("hub-bench-raw-").FullName;
        try
        {
            var path = Path.Combine(folder, "raw.db");
            using var consumer = Open(path);
            Execute(consumer, "PRAGMA journal_mode = WAL;");
            Execute(consumer, """
                CREATE TABLE messages (id INTEGER PRIMARY KEY AUTOINCREMENT, queue TEXT NOT NULL, body BLOB NOT NULL, visible_at BIGINT NOT NULL, lock_token TEXT, delivery_count INTEGER NOT NULL DEFAULT 0);
                CREATE INDEX messages_ready ON messages (queue, visible_at, id);
                """);
            using var producer = Open(path);
            var watch = Stopwatch.StartNew();
            if (concurrent)
            {
                var producing = Task.Run(() => Produce(producer, messages));
                for (var consumed = 0; consumed < messages;)
                {
                    consumed += ConsumeBatch(consumer);
                }

                producing.GetAwaiter().GetResult();
            }
            else
            {
                for (var sent = 0; sent < messages; sent += Batch)
                {
                    Produce(producer, Math.Min(Batch, messages - sent));
                    ConsumeBatch(consumer);
                }
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
        var body = BenchmarkHub.RawBody();
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
        // No busy_timeout: Microsoft.Data.Sqlite then retries a locked write at once, which serves two
        // connections taking turns far better than SQLite's sleeping busy handler.
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
