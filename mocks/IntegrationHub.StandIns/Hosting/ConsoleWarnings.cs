using WireMock.Admin.Requests;
using WireMock.Logging;

namespace IntegrationHub.StandIns.Hosting;

/// <summary>WireMock.Net's warnings and errors on standard error; its debug and request lines are left out.</summary>
internal sealed class ConsoleWarnings : IWireMockLogger
{
    public void Debug(string formatString, params object[] args)
    {
    }

    public void Info(string formatString, params object[] args)
    {
    }

    public void Warn(string formatString, params object[] args) => Write("warn", formatString, args);

    public void Error(string formatString, params object[] args) => Write("error", formatString, args);

    public void Error(string message, Exception exception) => Console.Error.WriteLine($"stand-ins: error: {message}: {exception.Message}");

    public void DebugRequestResponse(LogEntryModel logEntryModel, bool isAdminRequest)
    {
    }

    private static void Write(string level, string format, object[] args) =>
        Console.Error.WriteLine($"stand-ins: {level}: {(args.Length == 0 ? format : string.Format(System.Globalization.CultureInfo.InvariantCulture, format, args))}");
}
