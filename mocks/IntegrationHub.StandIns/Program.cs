using System.Runtime.InteropServices;
using IntegrationHub.StandIns.Hosting;

namespace IntegrationHub.StandIns;

/// <summary>
/// The stand-ins as a program, for the run command and for a developer:
/// <c>dotnet IntegrationHub.StandIns.dll [--port 8089] [--mocks FOLDER]</c>. It prints its address
/// when it is ready and stops on Ctrl+C or SIGTERM.
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (!StandInCommandLine.TryParse(args, out var options, out var error))
        {
            await Console.Error.WriteLineAsync(error);
            return 2;
        }

        using var stopping = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stopping.Cancel();
        };
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stopping.Cancel();
        });

        await using var standIns = StandInServer.Start(options, new ConsoleWarnings());
        Console.WriteLine(standIns.Url.AbsoluteUri.TrimEnd('/'));
        await Task.Delay(Timeout.Infinite, stopping.Token).ContinueWith(_ => { }, TaskScheduler.Default);
        return 0;
    }
}
