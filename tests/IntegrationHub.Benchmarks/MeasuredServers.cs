using Npgsql;

namespace IntegrationHub.Benchmarks;

/// <summary>
/// The servers a scenario's work runs on besides the hub (the broker, PostgreSQL), found by the
/// loopback port they listen on, whose CPU time is measured with the hub's.
/// </summary>
internal sealed class MeasuredServers
{
    private readonly IReadOnlyDictionary<string, int> servers;

    private MeasuredServers(IReadOnlyDictionary<string, int> servers) => this.servers = servers;

    public static MeasuredServers None { get; } = new(new Dictionary<string, int>());

    /// <summary>The broker and the database of <paramref name="settings"/>, as asked; one not found is said and left out.</summary>
    public static MeasuredServers Find(BenchmarkSettings settings, bool broker, bool postgres, int? serviceBusPort = null)
    {
        var found = new Dictionary<string, int>();
        if (broker)
        {
            Add(found, "broker", settings.RabbitMqUri.Port);
        }

        if (serviceBusPort is { } port)
        {
            Add(found, "servicebus", port);
        }

        if (postgres)
        {
            Add(found, "postgres", new NpgsqlConnectionStringBuilder(settings.PostgresConnection).Port);
        }

        return new MeasuredServers(found);
    }

    /// <summary>The CPU time so far of the hub's processes (under <paramref name="hub"/>) and of each server.</summary>
    public IReadOnlyDictionary<string, TimeSpan> Snapshot(string hub, IReadOnlyCollection<int> hubProcesses)
    {
        var snapshot = new Dictionary<string, TimeSpan> { [hub] = ProcessCpu.OfTrees(hubProcesses) };
        foreach (var (name, pid) in servers)
        {
            snapshot[name] = ProcessCpu.OfTrees([pid]);
        }

        return snapshot;
    }

    public static IReadOnlyDictionary<string, TimeSpan> Difference(IReadOnlyDictionary<string, TimeSpan> before, IReadOnlyDictionary<string, TimeSpan> after) =>
        after.ToDictionary(a => a.Key, a => a.Value - before.GetValueOrDefault(a.Key));

    private static void Add(Dictionary<string, int> found, string name, int port)
    {
        if (Listeners.PidOf(port) is { } pid)
        {
            found[name] = pid;
        }
        else
        {
            Console.WriteLine($"  (no process found listening on port {port}: the {name}'s CPU is not measured)");
        }
    }
}
