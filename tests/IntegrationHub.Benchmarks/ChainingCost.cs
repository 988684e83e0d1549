using System.Globalization;

namespace IntegrationHub.Benchmarks;

/// <summary>
/// What the audit chains cost: e2e-embedded with the sealer running (entries sealed every 2 s,
/// checkpoints signed) against the same build with <c>Audit:Chaining</c> off, as two hub sides run in
/// alternating rounds of one run, the order reversed every round. The figure is the ratio of the
/// medians (the issue asks for 0.90 or more).
/// </summary>
internal sealed class ChainingCost(BenchmarkSettings settings) : Scenario(settings)
{
    private static readonly Dictionary<string, string?> On = [];
    private static readonly Dictionary<string, string?> Off = new() { ["Audit__Chaining"] = "false" };

    public override string Name => "e2e-embedded-chaining";

    public override string Description => "e2e-embedded with the audit chains sealed and signed against the same build without (Audit:Chaining off), alternating rounds";

    public override bool RunsSides => true;

    public override bool Traceable => false;

    public override async Task<IReadOnlyList<Figure>> RunAsync()
    {
        var load = BenchmarkSettings.LoadAverage();
        var build = Settings.Builds[0];
        await using var chained = await HubSideProcess.StartAsync(build, "e2e-embedded", On);
        await using var plain = await HubSideProcess.StartAsync(build, "e2e-embedded", Off);
        var sides = new List<(string Label, HubSideProcess Process, List<Round> Rounds)> { ("chaining off", plain, []), ("chaining on", chained, []) };
        foreach (var (label, process, _) in sides)
        {
            Console.WriteLine($"  {label,-16} {await process.WarmUpAsync(Settings.Dossiers / 2, MeasuredServers.None, Settings.WarmUpLimit)}");
        }

        for (var round = 1; round <= Math.Max(Settings.Rounds, Settings.Quick ? 1 : 5); round++)
        {
            foreach (var (label, process, rounds) in round % 2 == 1 ? sides : Enumerable.Reverse(sides))
            {
                rounds.Add(await process.RunRoundAsync(Settings.Dossiers, MeasuredServers.None));
                Print(label, round, Settings.Dossiers, "dossiers", rounds[^1]);
            }
        }

        var ratio = Figure.Median(sides[1].Rounds.Select(r => r.Rate)) / Figure.Median(sides[0].Rounds.Select(r => r.Rate));
        var note = string.Create(CultureInfo.InvariantCulture, $"on/off={ratio:0.00} target>=0.90");
        return [.. sides.Select(s => new Figure(Name, s.Label, "dossiers", s.Rounds, null, null, load, note))];
    }
}
