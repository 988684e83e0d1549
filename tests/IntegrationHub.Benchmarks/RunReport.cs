using System.Globalization;
using System.Runtime.InteropServices;

namespace IntegrationHub.Benchmarks;

/// <summary>
/// What a run prints: the machine and the load at the start (with a warning above 1), each
/// scenario's rounds and RESULT lines, and at the end the comparison of the builds round by round, and
/// the rows of the README's "Measured figures" table in Markdown.
/// </summary>
internal sealed class RunReport(BenchmarkSettings settings, string[] args)
{
    private const double QuietLoad = 1.0;

    private readonly List<(Scenario Scenario, Figure Figure)> figures = [];

    public void Header()
    {
        Console.WriteLine(Invariant($"# {(settings.Quick ? "quick" : "full")} run, {TimeProvider.System.GetLocalNow():yyyy-MM-dd HH:mm zzz}, {Machine()}"));
        Console.WriteLine($"# builds: {string.Join("; ", settings.Builds.Select(b => $"{b.Label} ({b.SideAssembly})"))}");
        Warn("the run");
    }

    public static void Scenario(Scenario scenario)
    {
        Console.WriteLine($"## {scenario.Name}: {scenario.Description}");
        Warn(scenario.Name);
    }

    public void Add(Scenario scenario, IReadOnlyList<Figure> measured)
    {
        foreach (var figure in measured)
        {
            figures.Add((scenario, figure));
            Console.WriteLine(figure.ResultLine());
        }
    }

    public void Summary()
    {
        if (settings.Builds.Count > 1)
        {
            Console.WriteLine($"## {settings.Builds[0].Label} against {string.Join(", ", settings.Builds.Skip(1).Select(b => b.Label))}, from the same run's alternating rounds");
            foreach (var group in figures.GroupBy(f => f.Figure.Scenario))
            {
                // A scenario that compares within one build (chaining off and on) has no figure under a build's label.
                if (group.FirstOrDefault(f => f.Figure.Build == settings.Builds[0].Label).Figure is not { } first)
                {
                    continue;
                }

                foreach (var (_, other) in group.Where(f => f.Figure.Build != first.Build))
                {
                    Console.WriteLine(Compare(first, other));
                }
            }
        }

        foreach (var build in settings.Builds)
        {
            var scale = Find("e2e-scale-1", build.Label);
            var rabbit = Find("e2e-rabbitmq", build.Label);
            if (scale is not null && rabbit is not null)
            {
                Console.WriteLine(Invariant($"RESULT e2e-scale-1/e2e-rabbitmq [{build.Label}] ratio={scale.Rate / rabbit.Rate:0.00} (one instance on PostgreSQL {scale.Rate:0}/s, on SQLite {rabbit.Rate:0}/s; target ≥ 0.6)"));
            }

            if (scale is not null && Find("e2e-scale-1", ScaleThroughput.SqliteLabel) is { } paired)
            {
                var pairs = string.Join(", ", scale.Rounds.Zip(paired.Rounds).Select(p => Invariant($"{p.First.Rate / p.Second.Rate:0.00}")));
                Console.WriteLine(Invariant($"RESULT e2e-scale-1/sqlite [{build.Label}] ratio={scale.Rate / paired.Rate:0.00} (round pairs {pairs}; one instance on PostgreSQL {scale.Rate:0}/s, the same on SQLite {paired.Rate:0}/s in the rounds between; CPU per dossier of all measured processes {scale.TotalCpuPerItem:0} against {paired.TotalCpuPerItem:0} µs; target ≥ 0.6)"));
            }
        }

        Console.WriteLine();
        Console.WriteLine("## Markdown: rows of the README's \"Measured figures\" table");
        Console.WriteLine();
        Console.WriteLine(Invariant($"Measured on {TimeProvider.System.GetLocalNow():d MMM yyyy} on {Machine()}, `./scripts/bench {Arguments.Shown(args)}`; medians of {settings.Rounds} round(s); load average (1, 5, 15 min) at each scenario's start in the last column."));
        Console.WriteLine();
        Console.WriteLine("| scenario | what is measured | hub | CPU time | baseline | ratio | load |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        foreach (var (scenario, figure) in figures)
        {
            // A row is named by its figure's build or variant (another commit, chaining off and on,
            // publishes in flight) unless that is the run's only build.
            var label = settings.Builds is [var only] && only.Label == figure.Build ? null : figure.Build;
            Console.WriteLine(figure.MarkdownRow(scenario.Description, label));
        }
    }

    private Figure? Find(string scenario, string build) =>
        figures.Select(f => f.Figure).FirstOrDefault(f => f.Scenario == scenario && f.Build == build);

    /// <summary>The first build against another: the ratio of medians and of each round's pair, for the rate and for the CPU time per item.</summary>
    private static string Compare(Figure first, Figure other)
    {
        var pairs = first.Rounds.Zip(other.Rounds).ToList();
        var rates = string.Join(", ", pairs.Select(p => Invariant($"{p.First.Rate / p.Second.Rate:0.00}")));
        var hubCpu = string.Join(", ", pairs.Select(p => Invariant($"{p.First.CpuPerItem("hub") / p.Second.CpuPerItem("hub"):0.00}")));
        var line = Invariant($"COMPARE {first.Scenario} {first.Build}/{other.Build}: rate {first.Rate:0}/{other.Rate:0} = {first.Rate / other.Rate:0.00} (rounds {rates}); hub CPU per {first.Unit.TrimEnd('s')} {first.CpuPerItem("hub"):0}/{other.CpuPerItem("hub"):0} µs = {first.CpuPerItem("hub") / other.CpuPerItem("hub"):0.00} (rounds {hubCpu})");
        foreach (var server in first.Processes.Where(p => p != "hub"))
        {
            line += Invariant($"; {server} {first.CpuPerItem(server):0}/{other.CpuPerItem(server):0} µs = {first.CpuPerItem(server) / other.CpuPerItem(server):0.00}");
        }

        return line + Invariant($"; all measured processes {first.TotalCpuPerItem:0}/{other.TotalCpuPerItem:0} µs = {first.TotalCpuPerItem / other.TotalCpuPerItem:0.00}");
    }

    private static void Warn(string what)
    {
        var load = BenchmarkSettings.LoadNow();
        Console.WriteLine(Invariant($"# load average at the start of {what}: {BenchmarkSettings.LoadAverage()}"));
        if (load > QuietLoad)
        {
            Console.WriteLine(Invariant($"# WARNING: load average {load:0.00} is above {QuietLoad:0}: other work shares the cores, so absolute figures are low and noisy; only ratios from the same run's alternating rounds hold"));
        }
    }

    private static string Machine()
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        var os = File.Exists("/etc/os-release")
            ? File.ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))?.Split('=', 2)[1].Trim('"')
            : null;
        return $"{Environment.MachineName}: {Environment.ProcessorCount} cores{(cpu is null ? "" : $" ({cpu})")}, {os ?? RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}";
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
