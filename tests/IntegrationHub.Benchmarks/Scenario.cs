using System.Diagnostics;
using System.Globalization;

namespace IntegrationHub.Benchmarks;

/// <summary>
/// One scenario: the hub's side (on each build of the run), and where there is one, the strongest raw
/// baseline for the same work, measured in alternating rounds after a warm-up.
/// </summary>
internal abstract class Scenario(BenchmarkSettings settings)
{
    protected BenchmarkSettings Settings { get; } = settings;

    public abstract string Name { get; }

    public abstract string Description { get; }

    /// <summary>Whether the scenario runs the hub in a process of its own, so that it can run on another build and be traced.</summary>
    public virtual bool RunsSides => false;

    /// <summary>Whether <c>--trace</c> can record it: one hub side, its round run by <see cref="Tracing"/>.</summary>
    public virtual bool Traceable => RunsSides;

    /// <summary>Runs the rounds and returns one figure per build.</summary>
    public abstract Task<IReadOnlyList<Figure>> RunAsync();

    protected static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Measures each build's hub side and the baseline (when given) <see cref="BenchmarkSettings.Rounds"/>
    /// times after a warm-up each (<see cref="HubSideProcess.WarmUpAsync"/>), alternating: the baseline, then the builds, in turn reversed
    /// every round so that neither build always runs right after the other.
    /// </summary>
    protected async Task<(Dictionary<HubBuild, List<Round>> Hub, List<Round>? Baseline)> AlternateAsync(
        string side, string unit, int count, IReadOnlyDictionary<string, string?> environment, MeasuredServers servers, Func<int, Task<TimeSpan>>? baseline = null)
    {
        var sides = new List<(HubBuild Build, HubSideProcess Process)>();
        try
        {
            foreach (var build in Settings.Builds)
            {
                sides.Add((build, await HubSideProcess.StartAsync(build, side, environment)));
            }

            if (baseline is not null)
            {
                await baseline(count / 2);
            }

            foreach (var (build, process) in sides)
            {
                Console.WriteLine($"  {build.Label,-16} {await process.WarmUpAsync(count / 2, servers, Settings.WarmUpLimit)}");
            }

            var hub = sides.ToDictionary(s => s.Build, _ => new List<Round>());
            List<Round>? raw = baseline is null ? null : [];
            for (var round = 1; round <= Settings.Rounds; round++)
            {
                if (baseline is not null)
                {
                    var measured = await MeasureInProcessAsync(() => baseline(count), count, servers);
                    raw!.Add(measured);
                    Print("baseline", round, count, unit, measured);
                }

                foreach (var (build, process) in round % 2 == 1 ? sides : Enumerable.Reverse(sides))
                {
                    var measured = await process.RunRoundAsync(count, servers);
                    hub[build].Add(measured);
                    Print(build.Label, round, count, unit, measured);
                }
            }

            return (hub, raw);
        }
        finally
        {
            foreach (var (_, process) in sides)
            {
                await process.DisposeAsync();
            }
        }
    }

    /// <summary>Two sides run in this process, alternating, after a warm-up of half a round each.</summary>
    protected async Task<(List<Round> Chosen, List<Round> Other)> CompareInProcessAsync(string unit, int count, (string Name, Func<int, Task<TimeSpan>> Run) chosen, (string Name, Func<int, Task<TimeSpan>> Run) other)
    {
        await other.Run(count / 2);
        await chosen.Run(count / 2);
        var chosenRounds = new List<Round>();
        var otherRounds = new List<Round>();
        for (var round = 1; round <= Settings.Rounds; round++)
        {
            otherRounds.Add(await MeasureInProcessAsync(() => other.Run(count), count, MeasuredServers.None, other.Name));
            Print(other.Name, round, count, unit, otherRounds[^1]);
            chosenRounds.Add(await MeasureInProcessAsync(() => chosen.Run(count), count, MeasuredServers.None, chosen.Name));
            Print(chosen.Name, round, count, unit, chosenRounds[^1]);
        }

        return (chosenRounds, otherRounds);
    }

    /// <summary>A round run in this process, whose CPU time is counted under <paramref name="name"/>, beside the servers'.</summary>
    protected static async Task<Round> MeasureInProcessAsync(Func<Task<TimeSpan>> work, int count, MeasuredServers servers, string name = "client")
    {
        int[] self = [Environment.ProcessId];
        var before = servers.Snapshot(name, self);
        var elapsed = await work();
        var after = servers.Snapshot(name, self);
        return new Round(count, elapsed, MeasuredServers.Difference(before, after), BenchmarkSettings.LoadAverage());
    }

    protected static void Print(string side, int round, int count, string unit, Round measured) =>
        Console.WriteLine(Invariant($"  {side,-16} round {round}: {count} {unit} in {measured.Elapsed.TotalSeconds:0.00} s = {measured.Rate:0}/s; CPU per {Singular(unit)}: {measured.CpuText()}{(measured.Jit is { } jit ? Invariant($"; JIT {jit.TotalMilliseconds:0} ms") : "")} (load {measured.Load})"));

    protected static string Singular(string unit) => unit.EndsWith('s') ? unit[..^1] : unit;

    /// <summary>One figure per build from alternating rounds.</summary>
    protected List<Figure> Figures(string unit, Dictionary<HubBuild, List<Round>> hub, List<Round>? baseline, string? baselineText, string load, string? note = null) =>
        [.. hub.Select(h => new Figure(Name, h.Key.Label, unit, h.Value, baseline, baselineText, load, note))];

    /// <summary>Runs in this process, timed, for the in-process comparisons.</summary>
    protected static TimeSpan Time(Action work)
    {
        var watch = Stopwatch.StartNew();
        work();
        return watch.Elapsed;
    }
}
