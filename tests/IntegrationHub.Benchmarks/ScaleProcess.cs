using System.Diagnostics;
using System.Text;

namespace IntegrationHub.Benchmarks;

/// <summary>A hub process of an e2e-scale round: a build's hub side with <c>--instance</c>.</summary>
internal sealed class ScaleProcess : IDisposable
{
    private readonly Process process;
    private readonly TaskCompletionSource ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly StringBuilder output = new();
    private long compiledTicks;

    private ScaleProcess(Process process) => this.process = process;

    public Task Ready => ready.Task;

    public int Pid => process.Id;

    public bool HasExited => process.HasExited;

    /// <summary>The time the process's runtime has spent compiling methods, as it last reported.</summary>
    public TimeSpan Compiled => TimeSpan.FromTicks(Interlocked.Read(ref compiledTicks));

    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    public static ScaleProcess Start(HubBuild build, IReadOnlyDictionary<string, string?> environment)
    {
        var start = build.StartInfo([SideProtocol.InstanceArgument], environment);
        var instance = new ScaleProcess(new Process { StartInfo = start });
        instance.process.OutputDataReceived += (_, e) => instance.Append(e.Data);
        instance.process.ErrorDataReceived += (_, e) => instance.Append(e.Data);
        instance.process.Start();
        instance.process.BeginOutputReadLine();
        instance.process.BeginErrorReadLine();
        return instance;
    }

    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }

        process.Dispose();
    }

    private void Append(string? line)
    {
        if (line == SideProtocol.Ready)
        {
            ready.TrySetResult();
        }
        else if (line is not null && line.StartsWith(SideProtocol.Jit + " ", StringComparison.Ordinal))
        {
            var seconds = double.Parse(line.AsSpan(SideProtocol.Jit.Length + 1), System.Globalization.CultureInfo.InvariantCulture);
            Interlocked.Exchange(ref compiledTicks, TimeSpan.FromSeconds(seconds).Ticks);
        }
        else if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }
}
