using System.Globalization;

namespace IntegrationHub.Benchmarks;

/// <summary>Which process listens on a loopback TCP port, from /proc/net/tcp and the processes' sockets.</summary>
internal static class Listeners
{
    private const string Listen = "0A";

    /// <summary>The process listening on <paramref name="port"/>, or null when none is found (or /proc is missing).</summary>
    public static int? PidOf(int port)
    {
        var inodes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" }.Where(File.Exists))
        {
            foreach (var line in File.ReadLines(table).Skip(1))
            {
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                var local = fields[1];
                if (fields[3] == Listen && int.Parse(local[(local.LastIndexOf(':') + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture) == port)
                {
                    inodes.Add($"socket:[{fields[9]}]");
                }
            }
        }

        if (inodes.Count == 0)
        {
            return null;
        }

        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                if (Directory.EnumerateFileSystemEntries(Path.Combine(folder, "fd")).Any(fd => new FileInfo(fd).LinkTarget is { } target && inodes.Contains(target)))
                {
                    return pid;
                }
            }
            catch (IOException)
            {
                // it ended while we looked
            }
            catch (UnauthorizedAccessException)
            {
                // another user's process: not ours to measure
            }
        }

        return null;
    }
}
