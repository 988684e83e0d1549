using System.Diagnostics;

namespace IntegrationHub.Testing.WireMock;

/// <summary>
/// The WireMock stand-ins of the national and sector systems, one per test process: the instance
/// at <c>HUB_WIREMOCK_URL</c> when it is set (<c>scripts/test</c> starts one for the whole run),
/// otherwise one started here through <c>scripts/wiremock</c> and stopped when the process ends.
/// Tests share it; <see cref="WireMockScope"/> keeps each test's stubs and journal apart.
/// </summary>
public sealed class WireMockServer
{
    /// <summary>The environment variable holding the URL of a running instance.</summary>
    public const string UrlVariable = "HUB_WIREMOCK_URL";

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static WireMockServer? shared;

    private WireMockServer(Uri url)
    {
        Url = url;
        Admin = new WireMockAdmin(url);
    }

    /// <summary>Where it listens, e.g. <c>http://127.0.0.1:41719</c>.</summary>
    public Uri Url { get; }

    /// <summary>Its admin API.</summary>
    public WireMockAdmin Admin { get; }

    /// <summary>The process's instance, started on first use.</summary>
    public static async Task<WireMockServer> GetAsync()
    {
        if (Volatile.Read(ref shared) is { } server)
        {
            return server;
        }

        await Gate.WaitAsync();
        try
        {
            if (shared is null)
            {
                var started = new WireMockServer(await LocateAsync());
                await started.Admin.WaitUntilHealthyAsync(TimeSpan.FromSeconds(30));
                Volatile.Write(ref shared, started);
            }

            return shared;
        }
        finally
        {
            Gate.Release();
        }
    }

    private static async Task<Uri> LocateAsync()
    {
        var url = Environment.GetEnvironmentVariable(UrlVariable);
        if (!string.IsNullOrWhiteSpace(url))
        {
            return new Uri(url);
        }

        var state = Path.Combine(Path.GetTempPath(), $"integrationhub-wiremock-{Environment.ProcessId}.state");
        var output = await RunScriptAsync(TimeSpan.FromMinutes(5), "start", "--state", state, "--owner-pid", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));

        // The script also stops it when this process ends however it ends; this is the tidy way.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => StopQuietly(state);
        return new Uri(output.Trim().Split('\n')[^1]);
    }

    private static async Task<string> RunScriptAsync(TimeSpan timeout, params string[] arguments)
    {
        var script = RepoPaths.InRepo("scripts", "wiremock");
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(script);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not run {script}.");
        using var cancel = new CancellationTokenSource(timeout);
        var stdout = process.StandardOutput.ReadToEndAsync(cancel.Token);
        var stderr = process.StandardError.ReadToEndAsync(cancel.Token);
        await process.WaitForExitAsync(cancel.Token);
        return process.ExitCode == 0
            ? await stdout
            : throw new InvalidOperationException($"scripts/wiremock {string.Join(' ', arguments)} failed ({process.ExitCode}): {await stderr}");
    }

    private static void StopQuietly(string state)
    {
        var start = new ProcessStartInfo("bash") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(RepoPaths.InRepo("scripts", "wiremock"));
        start.ArgumentList.Add("stop");
        start.ArgumentList.Add("--state");
        start.ArgumentList.Add(state);
        using var process = Process.Start(start);
        process?.WaitForExit(15_000);
    }
}
