using System.Diagnostics;
using System.Globalization;

namespace IntegrationHub.ServiceBusDouble.Tests;

/// <summary>The double run as the run command runs it: <c>dotnet IntegrationHub.ServiceBusDouble.dll …</c>.</summary>
public sealed class DoubleProcess : IAsyncDisposable
{
    readonly Process process;

    DoubleProcess(Process process, string connectionString)
    {
        this.process = process;
        ConnectionString = connectionString;
    }

    public string ConnectionString { get; }

    public static async Task<DoubleProcess> StartAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "IntegrationHub.ServiceBusDouble.dll"));
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process = Process.Start(start)!;
        Task<string> errors = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await process.StandardOutput.ReadLineAsync(limit.Token) is { } line)
        {
            if (line.StartsWith("Endpoint=sb://127.0.0.1:", StringComparison.Ordinal))
            {
                // Keep reading, so a full pipe never blocks the double's console logger.
                _ = process.StandardOutput.ReadToEndAsync();
                return new DoubleProcess(process, line);
            }
        }

        process.Kill();
        await process.WaitForExitAsync(CancellationToken.None);
        process.Dispose();
        throw new InvalidOperationException("The double exited before printing its connection string: " + await errors);
    }

    /// <summary>Sends SIGTERM, as a service manager or the run command's Ctrl+C does, and waits for the exit code.</summary>
    public async Task<int> StopAsync()
    {
        using (Process kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(limit.Token);
        return process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }
}
