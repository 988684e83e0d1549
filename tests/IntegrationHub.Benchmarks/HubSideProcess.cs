using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Threading.Channels;

namespace IntegrationHub.Benchmarks;

/// <summary>
/// A hub side running as a process of its own (the Hub project of a build, with <c>--side</c>): the
/// driver's end of <see cref="SideProtocol"/>. Its CPU time is read from /proc as its clock starts and
/// as it ends, with the servers'.
/// </summary>
internal sealed class HubSideProcess : IAsyncDisposable
{
    private static readonly TimeSpan RoundLimit = TimeSpan.FromMinutes(10);

    private readonly Process process;
    private readonly Channel<string> protocol = Channel.CreateUnbounded<string>();
    private readonly Queue<string> output = new();

    private HubSideProcess(Process process) => this.process = process;

    public int Pid => process.Id;

    /// <summary>Starts the side of <paramref name="side"/> from <paramref name="build"/> and waits until it is ready.</summary>
    public static async Task<HubSideProcess> StartAsync(HubBuild build, string side, IReadOnlyDictionary<string, string?> environment)
    {
        var start = build.StartInfo([SideProtocol.SideArgument, side], environment);
        var hub = new HubSideProcess(new Process { StartInfo = start });
        hub.process.OutputDataReceived += (_, e) => hub.Read(e.Data);
        hub.process.ErrorDataReceived += (_, e) => hub.Keep(e.Data);
        hub.process.Start();
        hub.process.BeginOutputReadLine();
        hub.process.BeginErrorReadLine();
        await hub.ExpectAsync(SideProtocol.Ready, TimeSpan.FromMinutes(2));
        return hub;
    }

    /// <summary>Runs one round of <paramref name="count"/>: its elapsed time as the side measured it, and the CPU time meanwhile.</summary>
    public async Task<Round> RunRoundAsync(int count, MeasuredServers servers)
    {
        int[] pid = [process.Id];
        await process.StandardInput.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{SideProtocol.Round} {count}"));
        await process.StandardInput.FlushAsync();
        await ExpectAsync(SideProtocol.Start, RoundLimit);
        var before = servers.Snapshot("hub", pid);
        var end = await ExpectAsync(SideProtocol.End, RoundLimit);
        var after = servers.Snapshot("hub", pid);
        var fields = end[(SideProtocol.End.Length + 1)..].Split(' ');
        var seconds = double.Parse(fields[0], CultureInfo.InvariantCulture);
        return new Round(count, TimeSpan.FromSeconds(seconds), MeasuredServers.Difference(before, after), BenchmarkSettings.LoadAverage())
        {
            Jit = fields.Length > 1 ? TimeSpan.FromSeconds(double.Parse(fields[1], CultureInfo.InvariantCulture)) : null,
        };
    }

    /// <summary>
    /// Runs rounds of <paramref name="count"/> until the runtime has done most of its compiling (in the
    /// last round it compiled for at most <see cref="SettledJitShare"/> of the hub's CPU time) or
    /// <paramref name="limit"/> has passed, so that the rounds measured after it are the hub's steady
    /// state rather than the JIT tiering its code up, which takes a busy hub half a minute and more.
    /// (Some compiling goes on in every round: each builds a fresh hub, whose start-up code is compiled
    /// again at a higher tier as it runs more often, and its dependency injection's and serializers'
    /// own generated code.) Returns what it did, for the log.
    /// </summary>
    public async Task<string> WarmUpAsync(int count, MeasuredServers servers, TimeSpan limit)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var rounds = 0;
        Round last;
        do
        {
            last = await RunRoundAsync(count, servers);
            rounds++;
        }
        while (last.JitShare > SettledJitShare && watch.Elapsed < limit);

        return string.Create(CultureInfo.InvariantCulture, $"warm-up: {rounds} round(s) of {count} in {watch.Elapsed.TotalSeconds:0} s; the last compiled for {last.Jit?.TotalMilliseconds ?? double.NaN:0} ms, {last.JitShare:0.0%} of the hub's CPU time");
    }

    /// <summary>The share of the hub's CPU time spent compiling below which a warm-up ends.</summary>
    public const double SettledJitShare = 0.10;

    /// <summary>Lets the side stop by closing its input, and waits for it (ends it after 30 s).</summary>
    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.StandardInput.Close();
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await process.WaitForExitAsync(limit.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        process.Dispose();
    }

    private async Task<string> ExpectAsync(string expected, TimeSpan limit)
    {
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            var line = await protocol.Reader.ReadAsync(timeout.Token);
            if (line.StartsWith(expected, StringComparison.Ordinal))
            {
                return line;
            }

            throw Failure($"the hub side said '{line}' where '{expected}' was due");
        }
        catch (OperationCanceledException)
        {
            throw Failure($"the hub side did not say '{expected}' within {limit.TotalMinutes:0} min");
        }
        catch (ChannelClosedException)
        {
            throw Failure($"the hub side ended before saying '{expected}'");
        }
    }

    private InvalidOperationException Failure(string what)
    {
        var text = new StringBuilder(what).AppendLine(". Its last output:");
        lock (output)
        {
            foreach (var line in output)
            {
                text.AppendLine(line);
            }
        }

        return new InvalidOperationException(text.ToString());
    }

    private void Read(string? line)
    {
        if (line is null)
        {
            protocol.Writer.TryComplete();
        }
        else if (line.StartsWith(SideProtocol.Prefix, StringComparison.Ordinal))
        {
            protocol.Writer.TryWrite(line);
        }
        else
        {
            Keep(line);
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.Enqueue(line);
            while (output.Count > 100)
            {
                output.Dequeue();
            }
        }
    }
}
