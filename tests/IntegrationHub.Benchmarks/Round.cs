using System.Globalization;

namespace IntegrationHub.Benchmarks;

/// <summary>One measured round: how many, how long, and the CPU time each measured process spent meanwhile.</summary>
internal sealed record Round(int Count, TimeSpan Elapsed, IReadOnlyDictionary<string, TimeSpan> Cpu, string Load)
{
    public double Rate => Count / Elapsed.TotalSeconds;

    /// <summary>CPU microseconds per message or dossier of one measured process.</summary>
    public double CpuPerItem(string process) => Cpu.TryGetValue(process, out var cpu) ? cpu.TotalMicroseconds / Count : double.NaN;

    public string CpuText() =>
        Cpu.Count == 0 ? "not measured" : string.Join(", ", Cpu.Keys.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p} {CpuPerItem(p):0.0} µs")));
}
