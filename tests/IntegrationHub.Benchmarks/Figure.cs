using System.Globalization;

namespace IntegrationHub.Benchmarks;

/// <summary>
/// A scenario's figure for one build: the hub's rounds (median, each round, spread), the CPU time per
/// message or dossier of each measured process, and where there is one the baseline's rounds and the
/// ratio of the medians, with the load average when the scenario started.
/// </summary>
internal sealed record Figure(string Scenario, string Build, string Unit, IReadOnlyList<Round> Rounds, IReadOnlyList<Round>? Baseline, string? BaselineText, string Load, string? Note = null)
{
    public double Rate => Median(Rounds.Select(r => r.Rate));

    /// <summary>What this figure measures, where it is not its scenario's description.</summary>
    public string? Description { get; init; }

    public double? BaselineRate => Baseline is null ? null : Median(Baseline.Select(r => r.Rate));

    /// <summary>The processes whose CPU time was measured, the hub's first.</summary>
    public IEnumerable<string> Processes => Rounds.SelectMany(r => r.Cpu.Keys).Distinct();

    public double CpuPerItem(string process) => Median(Rounds.Select(r => r.CpuPerItem(process)));

    /// <summary>The CPU time per item of every measured process together.</summary>
    public double TotalCpuPerItem => Median(Rounds.Select(r => r.Cpu.Keys.Sum(r.CpuPerItem)));

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN
            : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>Rounds and spread: "722, 703, 662; spread 8.5%" (max − min over the median).</summary>
    public static string RoundsText(IReadOnlyList<Round> rounds)
    {
        var rates = rounds.Select(r => r.Rate).ToList();
        var spread = rates.Count > 1 ? (rates.Max() - rates.Min()) / Median(rates) * 100 : 0;
        return string.Create(CultureInfo.InvariantCulture, $"{string.Join(", ", rates.Select(r => r.ToString("N0", CultureInfo.InvariantCulture)))}; spread {spread:0.0}%");
    }

    public string CpuText() =>
        string.Join(", ", Processes.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p} {CpuPerItem(p):N0} µs")));

    public string ResultLine()
    {
        var unit = Unit.TrimEnd('s');
        var line = string.Create(CultureInfo.InvariantCulture, $"RESULT {Scenario} [{Build}] hub={Rate:0}/s ({RoundsText(Rounds)}) cpu/{unit}: {CpuText()}");
        if (Baseline is not null)
        {
            line += string.Create(CultureInfo.InvariantCulture, $" baseline={BaselineRate:0}/s ({RoundsText(Baseline)}) ratio={Rate / BaselineRate:0.00}");
        }

        return line + $" load={Load}" + (Note is null ? "" : $" {Note}");
    }

    /// <summary>A row of the README's "Measured figures" table.</summary>
    public string MarkdownRow(string description, string? label)
    {
        var name = label is null ? $"`{Scenario}`" : $"`{Scenario}` ({label})";
        var unit = Unit.TrimEnd('s');
        description = Description ?? description;
        var what = BaselineText is null ? description : $"{description}; baseline: {BaselineText}";
        var hub = string.Create(CultureInfo.InvariantCulture, $"{Rate:N0}/s ({RoundsText(Rounds)})");
        var baseline = Baseline is null ? "" : string.Create(CultureInfo.InvariantCulture, $"{BaselineRate:N0}/s ({RoundsText(Baseline)})");
        var ratio = Baseline is null ? "" : string.Create(CultureInfo.InvariantCulture, $"{Rate / BaselineRate:0.00}");
        return $"| {name} | {what} | {hub} | {CpuText()} per {unit} | {baseline} | {ratio} | {Load} |";
    }
}
