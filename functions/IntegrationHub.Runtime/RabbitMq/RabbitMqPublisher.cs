using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace IntegrationHub.Runtime.RabbitMq;

/// <summary>
/// Publishes persistent messages straight to a queue (the default exchange) with publisher confirms:
/// a publish completes when the broker has the message on disk (a quorum queue: on a majority).
/// Publishes overlap up to <see cref="RabbitMqOptions.MaxPublishesInFlight"/> unconfirmed at once;
/// the client's own throttling limiter is off, since its delays collapse throughput once half of it
/// is in use. A publish to a queue the broker does not have fails (mandatory flag).
/// </summary>
internal sealed class RabbitMqPublisher(RabbitMqConnections connections, IOptions<MessagingOptions> options) : IAsyncDisposable
{
    private readonly SemaphoreSlim inFlight = new(options.Value.RabbitMq.MaxPublishesInFlight);
    private readonly SemaphoreSlim gate = new(1, 1);
    private IChannel? channel;

    /// <summary>Publishes every message to <paramref name="queue"/>; completes when all are confirmed.</summary>
    /// <exception cref="UnroutableException">The broker has no such queue.</exception>
    public async Task PublishAsync(string queue, IReadOnlyList<(BasicProperties Properties, ReadOnlyMemory<byte> Body)> messages, CancellationToken cancellationToken)
    {
        var publishing = await ChannelAsync(cancellationToken);
        var confirms = new List<Task>(messages.Count);
        foreach (var (properties, body) in messages)
        {
            await inFlight.WaitAsync(cancellationToken);
            confirms.Add(PublishOneAsync(publishing, queue, properties, body));
        }

        await Task.WhenAll(confirms);
    }

    public async ValueTask DisposeAsync()
    {
        if (channel is not null)
        {
            await channel.DisposeAsync();
        }

        inFlight.Dispose();
        gate.Dispose();
    }

    private async Task PublishOneAsync(IChannel publishing, string queue, BasicProperties properties, ReadOnlyMemory<byte> body)
    {
        try
        {
            // Not cancellable once started: a publish abandoned half-way would leave its confirm unknown.
            await publishing.BasicPublishAsync("", queue, mandatory: true, properties, body, CancellationToken.None);
        }
        catch (PublishException ex) when (ex.IsReturn)
        {
            throw new UnroutableException(queue, ex);
        }
        finally
        {
            inFlight.Release();
        }
    }

    private async Task<IChannel> ChannelAsync(CancellationToken cancellationToken)
    {
        if (channel is { IsOpen: true } current)
        {
            return current;
        }

        await gate.WaitAsync(cancellationToken);
        try
        {
            if (channel is { IsOpen: true } opened)
            {
                return opened;
            }

            if (channel is not null)
            {
                await channel.DisposeAsync();
            }

            var connection = await connections.GetAsync(RabbitMqConnections.Publishing, cancellationToken);
            channel = await connection.CreateChannelAsync(
                new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true, outstandingPublisherConfirmationsRateLimiter: null),
                cancellationToken);
            return channel;
        }
        finally
        {
            gate.Release();
        }
    }
}

/// <summary>The broker returned a message: it has no queue of that name.</summary>
internal sealed class UnroutableException(string queue, Exception inner)
    : Exception($"RabbitMQ has no queue '{queue}'.", inner)
{
    public string Queue { get; } = queue;
}
