using System.Diagnostics;
using System.Net.Sockets;
using RabbitMQ.Client;

namespace IntegrationHub.Testing;

/// <summary>
/// The RabbitMQ broker the tests talk to: <c>HUB_RABBITMQ_URI</c> (the test command starts one on
/// loopback and sets it), by default <c>amqp://guest:guest@127.0.0.1:5672/</c>. One for a test assembly
/// (an xUnit assembly fixture, <c>[assembly: AssemblyFixture(typeof(RabbitMqBroker))]</c>), waited for
/// when the assembly starts; a broker that cannot be reached then fails the tests that use it (at
/// <see cref="Uri"/>), with how to start one, and only them.
/// </summary>
public sealed class RabbitMqBroker : LoopbackService
{
    public const string UriVariable = "HUB_RABBITMQ_URI";

    private readonly Uri uri = new(Environment.GetEnvironmentVariable(UriVariable) is { Length: > 0 } value ? value : "amqp://guest:guest@127.0.0.1:5672/");

    public Uri Uri => WhenReachable(uri);

    /// <summary>Waits until the broker accepts TCP connections on its AMQP port.</summary>
    public override async Task WaitUntilReachableAsync(TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(uri.Host, uri.Port == -1 ? 5672 : uri.Port);
                Reached();
                return;
            }
            catch (SocketException) when (watch.Elapsed < timeout)
            {
                await Task.Delay(200);
            }
            catch (SocketException ex)
            {
                throw new InvalidOperationException(
                    $"RabbitMQ is not reachable at {uri.Host}:{uri.Port} ({ex.SocketErrorCode}). Start one with ./scripts/rabbitmq start (./scripts/test does), or set {UriVariable}.", ex);
            }
        }
    }

    /// <summary>Deletes queues and their dead-letter queues (<c>&lt;queue&gt;/$deadletterqueue</c>): the broker outlives the tests.</summary>
    public async Task DeleteQueuesAsync(IEnumerable<string> queues)
    {
        ArgumentNullException.ThrowIfNull(queues);
        await using var connection = await new ConnectionFactory { Uri = Uri }.CreateConnectionAsync();
        foreach (var queue in queues.SelectMany(q => new[] { q, Core.Messaging.QueueNames.DeadLetterOf(q) }))
        {
            await using var channel = await connection.CreateChannelAsync();
            await channel.QueueDeleteAsync(queue);
        }
    }

    /// <summary>Stops and starts the broker the test command started (<c>scripts/rabbitmq restart</c>); its queues and messages survive.</summary>
    public async Task RestartAsync(TimeSpan timeout)
    {
        var script = new ProcessStartInfo(RepoPaths.InRepo("scripts", "rabbitmq"), "restart") { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(script) ?? throw new InvalidOperationException("scripts/rabbitmq could not be started.");
        using var cancel = new CancellationTokenSource(timeout);
        var output = process.StandardOutput.ReadToEndAsync(cancel.Token);
        var errors = process.StandardError.ReadToEndAsync(cancel.Token);
        await process.WaitForExitAsync(cancel.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"scripts/rabbitmq restart failed ({process.ExitCode}): {await output}{await errors}");
        }
    }
}
