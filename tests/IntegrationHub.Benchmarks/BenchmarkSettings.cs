using System.Diagnostics;
using System.Globalization;

namespace IntegrationHub.Benchmarks;

/// <summary>How big a run is, which builds it measures, and where the broker and the database are.</summary>
internal sealed class BenchmarkSettings(bool quick, IReadOnlyList<HubBuild> builds)
{
    public bool Quick { get; } = quick;

    /// <summary>The builds whose hub sides run, the first being the working tree's.</summary>
    public IReadOnlyList<HubBuild> Builds { get; } = builds;

    /// <summary>Measured rounds per side; a figure is their median.</summary>
    public int Rounds => Quick ? 1 : 3;

    public int Messages => Quick ? 10_000 : 40_000;

    public int Dossiers => Quick ? 2_000 : 6_000;

    /// <summary>
    /// How long a hub process warms up at most before its measured rounds: until the JIT has tiered its
    /// code up (see <see cref="HubSideProcess.WarmUpAsync"/>), which a quick run does not wait for.
    /// </summary>
    public TimeSpan WarmUpLimit => Quick ? TimeSpan.Zero : TimeSpan.FromSeconds(60);

    public static int MessageSize => SideSettings.MessageSize;

    public Uri RabbitMqUri { get; } = SideSettings.RabbitMqUri;

    public string PostgresConnection { get; } =
        Environment.GetEnvironmentVariable("HUB_POSTGRES_CONNECTION") is { Length: > 0 } value ? value : "Host=127.0.0.1;Port=55432;Username=hub;Password=hub;Database=hub";

    /// <summary>The 1, 5 and 15 minute load averages.</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    /// <summary>The 1 minute load average, or 0 where the system does not say.</summary>
    public static double LoadNow() =>
        File.Exists("/proc/loadavg") ? double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture) : 0;
}

/// <summary>A build of the hub's side: its label (a commit) and the program that runs it.</summary>
internal sealed record HubBuild(string Label, string SideAssembly)
{
    /// <summary>How to run this build's hub side with <paramref name="arguments"/>, its standard streams redirected.</summary>
    public ProcessStartInfo StartInfo(string[] arguments, IReadOnlyDictionary<string, string?> environment)
    {
        var start = new ProcessStartInfo("dotnet", [SideAssembly, .. arguments])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(SideAssembly)!,
        };
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        return start;
    }
}
