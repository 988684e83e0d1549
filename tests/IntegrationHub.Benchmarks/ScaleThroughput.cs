using System.Diagnostics;
using System.Globalization;
using IntegrationHub.Core.Messaging;
using IntegrationHub.Runtime;
using IntegrationHub.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Benchmarks;

/// <summary>
/// Dossiers per second from intake to department queue with <paramref name="instances"/> hub processes
/// on one RabbitMQ broker and one PostgreSQL store, every flow running in each: the portal is read by
/// the timer (one instance at a time) in pages of 100, the national systems answer from stubs in each
/// process. Each round starts fresh processes on a fresh store; a quarter of the feed goes through
/// first, so that what is measured is the processes warmed up and the pipeline full.
/// </summary>
internal sealed class ScaleThroughput(BenchmarkSettings settings, int instances) : Scenario(settings)
{
    private const string InstanceArgument = "--instance";

    public override string Name => $"e2e-scale-{instances}";

    public override string Description =>
        $"dossiers/s from intake to department queue with {instances} hub process{(instances == 1 ? "" : "es")} on one RabbitMQ and one PostgreSQL store, national systems stubbed in each process";

    public static bool IsInstance(string[] args) => args.Length > 0 && args[0] == InstanceArgument;

    /// <summary>
    /// One hub process of a round: the feed and the settings come from the environment; it answers
    /// READY once started and stops when its standard input closes.
    /// </summary>
    public static async Task<int> RunInstanceAsync()
    {
        var count = int.Parse(Environment.GetEnvironmentVariable("BENCH_COUNT")!, CultureInfo.InvariantCulture);
        var submittedAt = DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(Environment.GetEnvironmentVariable("BENCH_SUBMITTED_AT")!, CultureInfo.InvariantCulture));
        var feed = StubbedHub.Submissions(count, Environment.GetEnvironmentVariable("BENCH_RUN")!, submittedAt);
        await using var hub = new StubbedHub(new Dictionary<string, string?>(), feed, Environment.GetEnvironmentVariable("BENCH_GO_FILE"));
        _ = hub.Server;
        Console.WriteLine("READY");
        await Console.In.ReadToEndAsync();
        return 0;
    }

    public override async Task<string> RunAsync()
    {
        var dossiers = Settings.Quick ? 2_000 : 6_000;
        var rates = new List<double>();
        for (var round = 1; round <= Settings.Rounds; round++)
        {
            var elapsed = await RunOnceAsync(dossiers / 4, dossiers);
            rates.Add(dossiers / elapsed.TotalSeconds);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {instances} instance(s) round {round}: {dossiers} dossiers in {elapsed.TotalSeconds:0.00} s = {rates[^1]:0}/s (load {BenchmarkSettings.LoadAverage()})"));
        }

        return string.Create(CultureInfo.InvariantCulture, $"RESULT {Name} hub={Median(rates):0}/s dossiers={dossiers} instances={instances}");
    }

    private async Task<TimeSpan> RunOnceAsync(int warmUp, int measured)
    {
        await StubbedHub.DeleteHubQueuesAsync(Settings.RabbitMqUri);
        var postgres = new PostgresServer();
        var store = await postgres.CreateStoreAsync();
        var folder = Directory.CreateTempSubdirectory("hub-scale-bench-").FullName;
        using var keys = new TestKeys();
        var settings = HubSettings.For(new Uri("http://127.0.0.1:9/"), Path.Combine(folder, "unused.db"), keys);
        settings["Messaging:Store"] = MessagingOptions.PostgresStore;
        settings["Messaging:PostgreSql:ConnectionString"] = store;
        settings["Messaging:Transport"] = MessagingOptions.RabbitMqTransport;
        settings["Messaging:RabbitMq:Uri"] = Settings.RabbitMqUri.ToString();
        settings["Flows:PortalPageSize"] = "100";
        settings["Flows:PortalPagesPerRun"] = "1000";
        settings["Flows:DeadlineCheckInterval"] = "00:05:00";
        settings["Logging:LogLevel:Default"] = "Warning";
        var goFile = Path.Combine(folder, "go");
        var feed = new Dictionary<string, string?>
        {
            ["BENCH_COUNT"] = (warmUp + measured).ToString(CultureInfo.InvariantCulture),
            ["BENCH_RUN"] = Guid.NewGuid().ToString("N")[..8],
            ["BENCH_SUBMITTED_AT"] = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
            ["BENCH_GO_FILE"] = goFile,
        };
        var processes = Enumerable.Range(0, instances).Select(_ => Instance.Start(settings, feed)).ToList();
        var admin = new ServiceCollection().AddLogging().AddMessaging(new ConfigurationBuilder().AddInMemoryCollection(settings).Build()).BuildServiceProvider();
        try
        {
            await Task.WhenAll(processes.Select(p => p.Ready.WaitAsync(TimeSpan.FromMinutes(2))));
            var statistics = admin.GetRequiredService<IQueueAdmin>();
            var queues = StubbedHub.DepartmentQueues();
            await File.WriteAllTextAsync(goFile, "");
            await WaitForAsync(statistics, queues, warmUp, processes);
            var watch = Stopwatch.StartNew();
            await WaitForAsync(statistics, queues, warmUp + measured, processes);
            return watch.Elapsed;
        }
        finally
        {
            processes.ForEach(p => p.Dispose());
            await admin.DisposeAsync();
            await postgres.DropStoreAsync(store);
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task WaitForAsync(IQueueAdmin statistics, IReadOnlyList<string> queues, int delivered, List<Instance> processes)
    {
        var limit = Stopwatch.StartNew();
        while (await StubbedHub.DeliveredAsync(statistics, queues) < delivered)
        {
            if (limit.Elapsed > TimeSpan.FromMinutes(5) || processes.Any(p => p.HasExited))
            {
                throw new InvalidOperationException($"{delivered} dossiers did not reach their departments:{Environment.NewLine}{string.Join(Environment.NewLine, processes.Select(p => p.Output))}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>A hub process of this benchmark (this program with <c>--instance</c>).</summary>
    private sealed class Instance : IDisposable
    {
        private readonly Process process;
        private readonly TaskCompletionSource ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly System.Text.StringBuilder output = new();

        private Instance(Process process) => this.process = process;

        public Task Ready => ready.Task;

        public bool HasExited => process.HasExited;

        public string Output
        {
            get
            {
                lock (output)
                {
                    return output.ToString();
                }
            }
        }

        public static Instance Start(IReadOnlyDictionary<string, string?> settings, IReadOnlyDictionary<string, string?> feed)
        {
            var start = new ProcessStartInfo("dotnet", [typeof(ScaleThroughput).Assembly.Location, InstanceArgument])
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = AppContext.BaseDirectory,
            };
            foreach (var (key, value) in settings.Concat(feed))
            {
                start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
            }

            var instance = new Instance(new Process { StartInfo = start });
            instance.process.OutputDataReceived += (_, e) => instance.Append(e.Data);
            instance.process.ErrorDataReceived += (_, e) => instance.Append(e.Data);
            instance.process.Start();
            instance.process.BeginOutputReadLine();
            instance.process.BeginErrorReadLine();
            return instance;
        }

        public void Dispose()
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
            }

            process.Dispose();
        }

        private void Append(string? line)
        {
            if (line == "READY")
            {
                ready.TrySetResult();
            }
            else if (line is not null)
            {
                lock (output)
                {
                    output.AppendLine(line);
                }
            }
        }
    }
}
