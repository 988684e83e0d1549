using System.Globalization;

namespace IntegrationHub.Benchmarks;

/// <summary>
/// Waits for the work before to end: before a scenario, what the one before it left behind (a broker
/// draining queues, a database vacuuming or checkpointing the rows it wrote, processes exiting), and
/// within the identity rows, the work a round's requests left (the audit sealer's next pass), which
/// would otherwise be measured in what comes next. The load average cannot say it, being an average
/// over the last minute (and on a virtual machine raised by the host's own threads); the cores' busy
/// share over a second or so, read from <c>/proc/stat</c>, can.
/// </summary>
internal static class QuietMachine
{
    /// <summary>The busy share of all cores under which the machine counts as quiet.</summary>
    public const double QuietShare = 0.15;

    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);

    /// <summary>
    /// Samples the cores' busy share over <paramref name="window"/> (a second unless given; longer than
    /// the period of any work the measured side does on a timer) until it is under
    /// <see cref="QuietShare"/>, or <see cref="Limit"/> has passed; says what it waited for, and gives up
    /// with a line that says so.
    /// </summary>
    public static async Task WaitAsync(TimeSpan? window = null)
    {
        var over = window ?? TimeSpan.FromSeconds(1);
        if (Sample() is null)
        {
            return;
        }

        var waited = TimeSpan.Zero;
        double busy;
        while ((busy = await BusyShareAsync(over)) >= QuietShare)
        {
            waited += over;
            if (waited >= Limit)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"# the cores were still {busy:P0} busy after {Limit.TotalSeconds:0} s of waiting for the work before to end; measuring anyway"));
                return;
            }
        }

        if (waited > TimeSpan.Zero)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"# waited {waited.TotalSeconds:0} s for the cores to go quiet ({busy:P0} busy over the last {over.TotalSeconds:0.#} s)"));
        }
    }

    private static async Task<double> BusyShareAsync(TimeSpan window)
    {
        var before = Sample()!.Value;
        await Task.Delay(window);
        var after = Sample()!.Value;
        var total = after.Total - before.Total;
        return total <= 0 ? 0 : (double)(after.Busy - before.Busy) / total;
    }

    /// <summary>
    /// The jiffies of all cores from the first line of <c>/proc/stat</c>: busy (user, nice, system,
    /// irq, softirq) and in all but steal (time the host gave to other machines, not work of ours).
    /// </summary>
    private static (long Busy, long Total)? Sample()
    {
        if (!File.Exists("/proc/stat"))
        {
            return null;
        }

        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Skip(1).Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        long Field(int i) => i < fields.Length ? fields[i] : 0;
        var busy = Field(0) + Field(1) + Field(2) + Field(5) + Field(6);
        var idle = Field(3) + Field(4);
        return (busy, busy + idle);
    }
}
