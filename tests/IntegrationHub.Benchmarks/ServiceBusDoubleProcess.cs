using System.Diagnostics;

namespace IntegrationHub.Benchmarks;

/// <summary>
/// The Service Bus double (mocks/IntegrationHub.ServiceBusDouble, built by scripts/bench) as a process
/// of its own on a loopback port, for the servicebus scenarios: the hub side and the raw loop reach the
/// same double by its connection string, and its CPU time is measured as a broker's.
/// </summary>
internal sealed class ServiceBusDoubleProcess : IAsyncDisposable
{
    /// <summary>The variable that gives the hub side the double's connection string.</summary>
    public const string ConnectionVariable = "HUB_SERVICEBUS_CONNECTION";

    private readonly Process process;

    private ServiceBusDoubleProcess(Process process, string connectionString, int port)
    {
        this.process = process;
        ConnectionString = connectionString;
        Port = port;
    }

    public string ConnectionString { get; }

    public int Port { get; }

    /// <summary>Starts the double on <c>HUB_SERVICEBUS_PORT</c> (default 5677) and waits for its connection string.</summary>
    public static async Task<ServiceBusDoubleProcess> StartAsync()
    {
        var port = int.TryParse(Environment.GetEnvironmentVariable("HUB_SERVICEBUS_PORT"), out var configured) ? configured : 5677;
        var program = Locate();
        var start = new ProcessStartInfo("dotnet", [program, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("The Service Bus double did not start.");
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("Endpoint=sb://", StringComparison.Ordinal))
            {
                // Its log goes on: read it so that the pipe never fills.
                _ = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
                return new ServiceBusDoubleProcess(process, line, port);
            }
        }

        throw new InvalidOperationException($"The Service Bus double ({program}) ended before it listened on port {port}.");
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

    private static string Locate()
    {
        const string Relative = "mocks/IntegrationHub.ServiceBusDouble/bin/Release/net10.0/IntegrationHub.ServiceBusDouble.dll";
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, Relative);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException($"The Service Bus double is not built ({Relative}): run scripts/bench, which builds it.");
    }
}
