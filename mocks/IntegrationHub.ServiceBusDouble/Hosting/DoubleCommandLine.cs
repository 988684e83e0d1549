using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace IntegrationHub.ServiceBusDouble.Hosting;

/// <summary>The double's command line: <c>--port N [--queues a,b] [--log FILE] [--snapshot FILE] [--key-name N] [--key K]</c>.</summary>
internal static class DoubleCommandLine
{
    public const string Usage = "usage: IntegrationHub.ServiceBusDouble --port N [--queues a,b] [--log frames.log] [--snapshot state.json] [--key-name NAME] [--key KEY]";

    public static bool TryParse(string[] args, [NotNullWhen(true)] out ServiceBusDoubleOptions? options, [NotNullWhen(false)] out string? error)
    {
        options = new ServiceBusDoubleOptions();
        error = null;
        for (int i = 0; i < args.Length; i++)
        {
            string? value = i + 1 < args.Length ? args[i + 1] : null;
            if (value is null || !Apply(options, args[i], value))
            {
                error = $"'{args[i]}' is not understood.\n{Usage}";
                options = null;
                return false;
            }

            i++;
        }

        return true;
    }

    static bool Apply(ServiceBusDoubleOptions options, string name, string value)
    {
        switch (name)
        {
            case "--port" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int port) && port <= 65535:
                options.Port = port;
                return true;
            case "--queues":
                foreach (string queue in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    options.Queues.Add(queue);
                }

                return true;
            case "--log":
                options.FrameLogPath = value;
                return true;
            case "--snapshot":
                options.SnapshotPath = value;
                return true;
            case "--key-name":
                options.KeyName = value;
                return true;
            case "--key":
                options.Key = value;
                return true;
            default:
                return false;
        }
    }
}
