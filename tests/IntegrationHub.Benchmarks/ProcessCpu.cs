using System.Globalization;

namespace IntegrationHub.Benchmarks;

/// <summary>
/// CPU time of processes, read from /proc: a process's user and system time plus those of the children
/// it has waited for, summed over the process and everything under it (a server's worker processes:
/// PostgreSQL's backends, the broker's helpers). A child that ended was waited for by its parent in
/// the tree, so its time stays counted.
/// </summary>
internal static class ProcessCpu
{
    // /proc/<pid>/stat counts in USER_HZ, which Linux fixes at 100 a second for user space whatever
    // the kernel's own tick rate.
    private const double TicksPerSecond = 100;

    /// <summary>The CPU time of <paramref name="roots"/> and their descendants, zero where /proc is missing.</summary>
    public static TimeSpan OfTrees(IReadOnlyCollection<int> roots)
    {
        if (roots.Count == 0 || !Directory.Exists("/proc"))
        {
            return TimeSpan.Zero;
        }

        var all = Processes();
        var children = all.Values.ToLookup(p => p.Parent);
        var seen = new HashSet<int>();
        var pending = new Stack<int>(roots);
        long ticks = 0;
        while (pending.TryPop(out var pid))
        {
            if (!seen.Add(pid) || !all.TryGetValue(pid, out var process))
            {
                continue;
            }

            ticks += process.Ticks;
            foreach (var child in children[pid])
            {
                pending.Push(child.Pid);
            }
        }

        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }

    private static Dictionary<int, (int Pid, int Parent, long Ticks)> Processes()
    {
        var processes = new Dictionary<int, (int, int, long)>();
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(folder, "stat"));
            }
            catch (IOException)
            {
                continue; // it ended while we looked
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }

            // "pid (name) state ppid ...": the name may hold spaces and parentheses, so count from the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            long Field(int number) => long.Parse(fields[number - 3], CultureInfo.InvariantCulture);
            processes[pid] = (pid, (int)Field(4), Field(14) + Field(15) + Field(16) + Field(17));
        }

        return processes;
    }
}
