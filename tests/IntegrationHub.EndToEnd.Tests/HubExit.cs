using System.Diagnostics;

namespace IntegrationHub.EndToEnd.Tests;

/// <summary>The function host run as a process until it exits by itself: its exit code, standard output and standard error.</summary>
public static class HubExit
{
    /// <summary>Runs the host with <paramref name="settings"/> (as environment variables) and waits for it to exit.</summary>
    /// <exception cref="TimeoutException">It was still running after <paramref name="timeout"/> (it was then killed).</exception>
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(IReadOnlyDictionary<string, string?> settings, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var start = ChildProcessHub.StartInfo(settings, new Uri($"http://127.0.0.1:{ChildProcessHub.FreePort()}/"));
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The hub did not exit within {timeout.TotalSeconds:0} s:\n{await output}\n{await error}");
        }

        return (process.ExitCode, await output, await error);
    }
}
