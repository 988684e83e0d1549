using System.Diagnostics;
using System.Globalization;
using IntegrationHub.Runtime;
using IntegrationHub.Testing;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace IntegrationHub.Benchmarks;

/// <summary>
/// Dossiers per second and CPU time per dossier from intake to department queue with
/// <paramref name="instances"/> hub processes on one RabbitMQ broker and one PostgreSQL store, every
/// flow running in each: the portal is read by the timer (one instance at a time) in pages of 100, the
/// national systems answer from stubs in each process. Each round starts fresh processes on a fresh
/// store. The portal lists the feed in stages: waves of a quarter of the measured count go through first,
/// one after another, until the processes' runtimes have tiered their code up (they compiled for at most
/// <see cref="HubSideProcess.SettledJitShare"/> of the hub processes' CPU time in the last wave, or
/// <see cref="BenchmarkSettings.WarmUpLimit"/> has passed: one wave in a quick run), as the other e2e
/// scenarios' hub sides are warmed up (<see cref="HubSideProcess.WarmUpAsync"/>); then the measured
/// count is listed. So what is measured is long-running processes, and the backlog in front of them is
/// the measured count, as in e2e-rabbitmq, not the whole feed. The CPU time of the hub processes, the
/// broker and PostgreSQL is measured over the measured stage, with the time the processes' runtimes spent
/// compiling methods meanwhile. With one instance and one build, each round also runs the same
/// process on the SQLite store (the broker the same, PostgreSQL idle), the two in turn and the order
/// reversed every round: the figure "on SQLite, paired rounds" is the other side of the target's
/// ratio, measured by the same procedure on the same machine state, store against store.
/// </summary>
internal sealed class ScaleThroughput(BenchmarkSettings settings, int instances) : Scenario(settings)
{
    public override string Name => $"e2e-scale-{instances}";

    public override string Description =>
        $"dossiers from intake to department queue with {instances} hub process{(instances == 1 ? "" : "es")} on one RabbitMQ and one PostgreSQL store, national systems stubbed in each process";

    public override bool RunsSides => true;

    public override bool Traceable => false;

    public override async Task<IReadOnlyList<Figure>> RunAsync()
    {
        var load = BenchmarkSettings.LoadAverage();
        var onPostgres = MeasuredServers.Find(Settings, broker: true, postgres: true);
        var onSqlite = MeasuredServers.Find(Settings, broker: true, postgres: false);
        var dossiers = Settings.Dossiers;
        var sides = Settings.Builds.Select(b => new Side(b, b.Label, Postgres: true, onPostgres)).ToList();
        if (instances == 1 && Settings.Builds is [var only])
        {
            sides.Add(new Side(only, SqliteLabel, Postgres: false, onSqlite));
        }

        var rounds = sides.ToDictionary(s => s, _ => new List<Round>());
        for (var round = 1; round <= Settings.Rounds; round++)
        {
            foreach (var side in round % 2 == 1 ? sides : Enumerable.Reverse(sides))
            {
                var measured = await RunOnceAsync(side, dossiers / 4, dossiers);
                rounds[side].Add(measured);
                Print(side.Label, round, dossiers, "dossiers", measured);
            }
        }

        var note = $"instances={instances}";
        return [.. rounds.Select(r => new Figure(Name, r.Key.Label, "dossiers", r.Value, null, null, load, note)
        {
            Description = r.Key.Postgres ? null : "the same rounds' other side: 1 hub process on the same RabbitMQ and the SQLite store, the same procedure, rounds alternating with PostgreSQL's",
        })];
    }

    /// <summary>The label of the figure on the SQLite store, paired with one instance on PostgreSQL.</summary>
    public const string SqliteLabel = "on SQLite, paired rounds";

    private async Task<Round> RunOnceAsync(Side side, int warmUp, int measured)
    {
        await StubbedHub.DeleteHubQueuesAsync(Settings.RabbitMqUri);
        var postgres = new PostgresServer();
        var store = side.Postgres ? await postgres.CreateStoreAsync() : null;
        var folder = Directory.CreateTempSubdirectory("hub-scale-bench-").FullName;
        using var keys = new TestKeys();
        var settings = HubSettings.For(new Uri("http://127.0.0.1:9/"), Path.Combine(folder, "hub.db"), keys);
        if (store is not null)
        {
            settings["Messaging:Store"] = MessagingOptions.PostgresStore;
            settings["Messaging:PostgreSql:ConnectionString"] = store;
        }

        settings["Messaging:Transport"] = MessagingOptions.RabbitMqTransport;
        settings["Messaging:RabbitMq:Uri"] = Settings.RabbitMqUri.ToString();
        settings["Flows:PortalPageSize"] = "100";
        settings["Flows:PortalPagesPerRun"] = "1000";
        settings["Flows:DeadlineCheckInterval"] = "00:05:00";
        settings["Logging:LogLevel:Default"] = "Warning";
        var goFile = Path.Combine(folder, "go");
        var environment = settings.ToDictionary(s => s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value);
        environment["BENCH_COUNT"] = (warmUp * MaxWarmUpWaves + measured).ToString(CultureInfo.InvariantCulture);
        environment["BENCH_RUN"] = Guid.NewGuid().ToString("N")[..8];
        environment["BENCH_SUBMITTED_AT"] = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        environment["BENCH_GO_FILE"] = goFile;
        var processes = Enumerable.Range(0, side.Postgres ? instances : 1).Select(_ => ScaleProcess.Start(side.Build, environment)).ToList();
        try
        {
            await Task.WhenAll(processes.Select(p => p.Ready.WaitAsync(TimeSpan.FromMinutes(2))));
            await using var queues = await DepartmentQueues.OpenAsync(Settings.RabbitMqUri);
            var stage = new Stage(queues, processes, side.Servers, goFile);
            var warmed = 0;
            var warming = Stopwatch.StartNew();
            Round wave;
            do
            {
                wave = await stage.ListAsync(warmed, warmUp);
                warmed += warmUp;
            }
            while (wave.JitShare > HubSideProcess.SettledJitShare && warming.Elapsed < Settings.WarmUpLimit && warmed < warmUp * MaxWarmUpWaves);

            Console.WriteLine(Invariant($"  {side.Label,-16} warm-up: {warmed / warmUp} wave(s) of {warmUp} in {warming.Elapsed.TotalSeconds:0} s; the last compiled for {wave.Jit?.TotalMilliseconds ?? double.NaN:0} ms, {wave.JitShare:0.0%} of the hub processes' CPU time"));
            return await stage.ListAsync(warmed, measured);
        }
        finally
        {
            processes.ForEach(p => p.Dispose());
            if (store is not null)
            {
                await postgres.DropStoreAsync(store);
            }

            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>What a round runs: a build's processes on a store, and the servers measured with them.</summary>
    private sealed record Side(HubBuild Build, string Label, bool Postgres, MeasuredServers Servers);

    /// <summary>The most waves of warm-up a round's feed holds.</summary>
    private const int MaxWarmUpWaves = 12;

    /// <summary>Lists the next part of the feed to the processes and measures them while it reaches the departments.</summary>
    private sealed class Stage(DepartmentQueues queues, List<ScaleProcess> processes, MeasuredServers servers, string goFile)
    {
        public async Task<Round> ListAsync(int delivered, int count)
        {
            var pids = processes.Select(p => p.Pid).ToList();
            var before = servers.Snapshot("hub", pids);
            var compiled = processes.Sum(p => p.Compiled.TotalSeconds);
            var watch = Stopwatch.StartNew();
            var next = goFile + ".next";
            await File.WriteAllTextAsync(next, (delivered + count).ToString(CultureInfo.InvariantCulture));
            File.Move(next, goFile, overwrite: true);
            await WaitForAsync(queues, delivered + count, processes);
            var elapsed = watch.Elapsed;
            var after = servers.Snapshot("hub", pids);
            return new Round(count, elapsed, MeasuredServers.Difference(before, after), BenchmarkSettings.LoadAverage())
            {
                Jit = TimeSpan.FromSeconds(processes.Sum(p => p.Compiled.TotalSeconds) - compiled),
            };
        }
    }

    private static async Task WaitForAsync(DepartmentQueues queues, int delivered, List<ScaleProcess> processes)
    {
        var limit = Stopwatch.StartNew();
        while (await queues.CountAsync() < delivered)
        {
            if (limit.Elapsed > TimeSpan.FromMinutes(5) || processes.Any(p => p.HasExited))
            {
                throw new InvalidOperationException($"{delivered} dossiers did not reach their departments:{Environment.NewLine}{string.Join(Environment.NewLine, processes.Select(p => p.Output))}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>The department queues' message counts, read from the broker (nobody pulls during a benchmark).</summary>
    private sealed class DepartmentQueues(IConnection connection, IChannel channel) : IAsyncDisposable
    {
        private readonly List<string> names = StubbedHub.DepartmentQueues();
        private IChannel channel = channel;

        public static async Task<DepartmentQueues> OpenAsync(Uri broker)
        {
            var connection = await new ConnectionFactory { Uri = broker }.CreateConnectionAsync();
            return new DepartmentQueues(connection, await connection.CreateChannelAsync());
        }

        public async Task<long> CountAsync()
        {
            long total = 0;
            foreach (var name in names)
            {
                try
                {
                    total += (await channel.QueueDeclarePassiveAsync(name)).MessageCount;
                }
                catch (OperationInterruptedException)
                {
                    // Not declared yet: the broker closed the channel; take a new one.
                    await channel.DisposeAsync();
                    channel = await connection.CreateChannelAsync();
                }
            }

            return total;
        }

        public async ValueTask DisposeAsync()
        {
            await channel.DisposeAsync();
            await connection.DisposeAsync();
        }
    }
}
