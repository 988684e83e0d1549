using IntegrationHub.ServiceBusDouble.Hosting;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.ServiceBusDouble;

/// <summary>
/// The double as a program (a class in its namespace, so that a test project that also references a
/// web host's top-level <c>Program</c> sees only one).
/// </summary>
internal static class Program
{
    // dotnet IntegrationHub.ServiceBusDouble.dll --port N [--queues a,b] [--log frames.log] [--snapshot state.json]
    public static async Task<int> Main(string[] args)
    {
        if (!DoubleCommandLine.TryParse(args, out ServiceBusDoubleOptions? options, out string? error))
        {
            await Console.Error.WriteLineAsync(error);
            return 2;
        }

        using ILoggerFactory loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Information));
        options.LoggerFactory = loggers;
        using var stopping = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; stopping.Cancel(); };
        using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(
            System.Runtime.InteropServices.PosixSignal.SIGTERM, context => { context.Cancel = true; stopping.Cancel(); });

        await using ServiceBusDouble serviceBus = await ServiceBusDouble.StartAsync(options, stopping.Token);
        Console.WriteLine(serviceBus.ConnectionString);
        await Task.Delay(Timeout.Infinite, stopping.Token).ContinueWith(_ => { }, TaskScheduler.Default);
        return 0;
    }
}
