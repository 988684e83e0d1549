using System.Globalization;

namespace IntegrationHub.Benchmarks;

/// <summary>
/// The hub side's entry point: <c>--side &lt;scenario&gt;</c> takes rounds from the driver (see
/// <see cref="SideProtocol"/>); <c>--instance</c> runs one hub process of a scale round.
/// </summary>
internal static class HubSideProgram
{
    public static async Task<int> Main(string[] args)
    {
        if (args is [SideProtocol.InstanceArgument])
        {
            return await ScaleInstance.RunAsync();
        }

        IHubSide? side = args is [SideProtocol.SideArgument, var name] ? name switch
        {
            "embedded-throughput" => new MessagingSide("embedded"),
            "rabbitmq-throughput" => new MessagingSide("rabbitmq"),
            "servicebus-throughput" => new MessagingSide("servicebus"),
            "e2e-embedded" => new EndToEndSide("embedded"),
            "e2e-rabbitmq" => new EndToEndSide("rabbitmq"),
            "e2e-servicebus" => new EndToEndSide("servicebus"),
            _ => null,
        } : null;
        if (side is null)
        {
            await Console.Error.WriteLineAsync("usage: IntegrationHub.Benchmarks.Hub --side embedded-throughput|rabbitmq-throughput|servicebus-throughput|e2e-embedded|e2e-rabbitmq|e2e-servicebus, or --instance");
            return 2;
        }

        return await ServeAsync(side);
    }

    private static async Task<int> ServeAsync(IHubSide side)
    {
        Console.WriteLine(SideProtocol.Ready);
        while (await Console.In.ReadLineAsync() is { } line)
        {
            if (!line.StartsWith(SideProtocol.Round + " ", StringComparison.Ordinal))
            {
                continue;
            }

            var count = int.Parse(line.AsSpan(SideProtocol.Round.Length + 1), CultureInfo.InvariantCulture);
            try
            {
                var compiling = System.Runtime.JitInfo.GetCompilationTime();
                var elapsed = await side.RunRoundAsync(count, () => Console.WriteLine(SideProtocol.Start), CancellationToken.None);
                var compiled = System.Runtime.JitInfo.GetCompilationTime() - compiling;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{SideProtocol.End} {elapsed.TotalSeconds:0.000000} {compiled.TotalSeconds:0.000000}"));
            }
            catch (Exception exception) when (exception is InvalidOperationException or IOException or TimeoutException or RabbitMQ.Client.Exceptions.RabbitMQClientException)
            {
                Console.WriteLine($"{SideProtocol.Error} {exception.GetType().Name}: {exception.Message.ReplaceLineEndings(" ")}");
                return 1;
            }
        }

        return 0;
    }
}
