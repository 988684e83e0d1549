using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;

namespace IntegrationHub.EndToEnd.Tests;

/// <summary>The function host as a child process, to be killed without warning and started again.</summary>
public sealed class ChildProcessHub : IDisposable
{
    private readonly IReadOnlyDictionary<string, string?> settings;
    private readonly StringBuilder output = new();
    private Process? process;

    public ChildProcessHub(IReadOnlyDictionary<string, string?> settings)
    {
        this.settings = settings;
        Url = new Uri($"http://127.0.0.1:{FreePort()}/");
    }

    public Uri Url { get; }

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

    /// <summary>Starts the host and waits until it answers HTTP.</summary>
    public async Task StartAsync()
    {
        process = new Process { StartInfo = StartInfo(settings, Url) };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var http = new HttpClient { BaseAddress = Url };
        await Eventually.HoldsAsync(
            async () => !process.HasExited && (await TryGetAsync(http)) is not null,
            TimeSpan.FromSeconds(60),
            () => $"the hub did not start:\n{Output}");
    }

    /// <summary>SIGTERM, as a service manager stops it: it stops receiving, finishes what runs, and exits.</summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        if (process is not { HasExited: false } running)
        {
            return;
        }

        using (var signal = Process.Start("kill", ["-TERM", running.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await signal.WaitForExitAsync();
        }

        using var cancel = new CancellationTokenSource(timeout);
        await running.WaitForExitAsync(cancel.Token);
    }

    /// <summary>SIGKILL: nothing is flushed, settled or stopped that was not already committed.</summary>
    public void Kill()
    {
        if (process is { HasExited: false })
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
    }

    public HttpClient ClientWith(string token)
    {
        var client = new HttpClient { BaseAddress = Url };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public void Dispose()
    {
        Kill();
        process?.Dispose();
    }

    private static async Task<HttpStatusCode?> TryGetAsync(HttpClient http)
    {
        try
        {
            return (await http.GetAsync(new Uri("/problems/not-found", UriKind.Relative))).StatusCode;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    /// <summary>The host program with <paramref name="settings"/> as environment variables, listening on <paramref name="url"/>, its output read.</summary>
    internal static ProcessStartInfo StartInfo(IReadOnlyDictionary<string, string?> settings, Uri url)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "IntegrationHub.Functions.dll")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        start.Environment["DOTNET_ENVIRONMENT"] = "Testing";
        start.Environment["ASPNETCORE_URLS"] = url.ToString().TrimEnd('/');
        return start;
    }

    /// <summary>A loopback port no one listens on now.</summary>
    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
