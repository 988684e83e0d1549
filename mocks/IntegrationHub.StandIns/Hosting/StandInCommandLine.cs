using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace IntegrationHub.StandIns.Hosting;

/// <summary>The host's command line: <c>[--port N] [--mocks FOLDER]</c>.</summary>
internal static class StandInCommandLine
{
    public const string Usage = "usage: IntegrationHub.StandIns [--port N (0: a free port; default 8089)] [--mocks FOLDER (default: the mocks folder above the program)]";

    public static bool TryParse(string[] args, [NotNullWhen(true)] out StandInOptions? options, [NotNullWhen(false)] out string? error)
    {
        // The host serves the admin API, so that a developer can add a case to it by hand.
        options = new StandInOptions { Port = 8089, AdminInterface = true };
        error = null;
        for (var i = 0; i < args.Length; i += 2)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            if (value is null || !Apply(options, args[i], value))
            {
                error = $"'{args[i]}' is not understood.\n{Usage}";
                options = null;
                return false;
            }
        }

        return true;
    }

    private static bool Apply(StandInOptions options, string name, string value)
    {
        switch (name)
        {
            case "--port" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port <= 65535:
                options.Port = port;
                return true;
            case "--mocks" when Directory.Exists(value):
                options.MocksFolder = value;
                return true;
            default:
                return false;
        }
    }
}
