using System.Globalization;

namespace IntegrationHub.Benchmarks;

/// <summary>One measured round: how many, how long, and the CPU time each measured process spent meanwhile.</summary>
internal sealed record Round(int Count, TimeSpan Elapsed, IReadOnlyDictionary<string, TimeSpan> Cpu, string Load)
{
    public double Rate => Count / Elapsed.TotalSeconds;

    /// <summary>The time the hub's runtime spent compiling methods during the round, where the hub side reports it.</summary>
    public TimeSpan? Jit { get; init; }

    /// <summary>The compiling time as a share of the hub's CPU time in the round (0 where either is unknown).</summary>
    public double JitShare => Jit is { } jit && Cpu.TryGetValue("hub", out var cpu) && cpu > TimeSpan.Zero ? jit / cpu : 0;

    /// <summary>CPU microseconds per message or dossier of one measured process.</summary>
    public double CpuPerItem(string process) => Cpu.TryGetValue(process, out var cpu) ? cpu.TotalMicroseconds / Count : double.NaN;

    public string CpuText() =>
        Cpu.Count == 0 ? "not measured" : string.Join(", ", Cpu.Keys.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p} {CpuPerItem(p):0.0} µs")));
}
