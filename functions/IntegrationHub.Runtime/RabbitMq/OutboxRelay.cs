using IntegrationHub.Runtime.Queues;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Runtime.RabbitMq;

/// <summary>
/// Publishes the outbox to the broker: rows become due (committed with a state change, or their
/// schedule or delay has passed), are claimed, published (with confirms on RabbitMQ, sent on Service
/// Bus), and deleted only after the broker took them. Every instance runs a relay over the one
/// outbox; a claimed row is one relay's until its claim runs out. A crash between the broker taking a
/// row and its delete publishes it twice (at least once); duplicate detection drops the second copy
/// (see <see cref="DuplicateDetection"/>) and the consumers' inbox backs it up. Now and then the
/// relay also runs the transport's upkeep (<see cref="IOutboxPublisher.SweepAsync"/>). Runs on the
/// transports that register an <see cref="IOutboxPublisher"/> under their name. Rows this instance's
/// commits claimed for it as they wrote them (<see cref="Handed"/>) go first and need no claim; the
/// outbox is claimed from when told to look (<see cref="Notify"/>), at each poll, and when the next
/// row falls due.
/// </summary>
internal sealed class OutboxRelay(
    IServiceProvider services,
    IOptions<MessagingOptions> options,
    TimeProvider time,
    ILogger<OutboxRelay> logger) : BackgroundService
{
    private const int BatchSize = 256;
    private static readonly TimeSpan FailureBackoff = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(1);
    private readonly QueueSignals wakeUp = new();
    private int look;

    /// <summary>Rows committed already claimed for this instance, published without a claim.</summary>
    public HandedOutbox Handed { get; } = new(time);

    /// <summary>Something was written to the outbox for any relay: look now rather than at the next poll.</summary>
    public void Notify()
    {
        Volatile.Write(ref look, 1);
        wakeUp.Notify(nameof(OutboxRelay));
    }

    /// <summary>Rows committed with a claim for this instance until <paramref name="claimedUntil"/>: publish them.</summary>
    public void HandOver(IReadOnlyList<OutboxMessage> committed, DateTimeOffset claimedUntil)
    {
        Handed.Add(committed, claimedUntil);
        wakeUp.Notify(nameof(OutboxRelay));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Resolved here, not injected: only the broker transports have them, and they are not built for another.
        if (services.GetKeyedService<IOutboxPublisher>(options.Value.Transport) is not { } publisher)
        {
            return;
        }

        var store = services.GetRequiredService<IBrokerStore>();
        var nextSweep = time.GetUtcNow();
        var nextLook = time.GetUtcNow();
        Handed.SetOpen(true);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var signal = wakeUp.NextAsync(nameof(OutboxRelay));
                try
                {
                    if (time.GetUtcNow() >= nextSweep)
                    {
                        nextSweep = time.GetUtcNow() + SweepInterval;
                        await publisher.SweepAsync(stoppingToken);
                    }

                    if (Handed.Take(BatchSize) is { Count: > 0 } handed)
                    {
                        await PublishAsync(publisher, store, handed, stoppingToken);
                        continue;
                    }

                    if (Interlocked.Exchange(ref look, 0) == 1 || time.GetUtcNow() >= nextLook)
                    {
                        nextLook = await ClaimAndPublishAsync(publisher, store, stoppingToken);
                    }

                    var wait = nextLook - time.GetUtcNow();
                    await QueueSignals.WaitAsync(signal, wait > TimeSpan.Zero ? wait : TimeSpan.Zero, time, stoppingToken);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
                catch (ObjectDisposedException) when (stoppingToken.IsCancellationRequested)
                {
                    // Stopping, and the store closed before this pass ended: its claims run out by themselves.
                    return;
                }
                catch (System.Data.Common.DbException ex)
                {
                    // The store is unreachable (a database restarting): the rows wait there; try again after a pause.
                    Log.RelayStoreFailed(logger, ex);
                    Volatile.Write(ref look, 1);
                    await Task.Delay(FailureBackoff, time, stoppingToken);
                }
            }
        }
        finally
        {
            Handed.SetOpen(false);
        }
    }

    /// <summary>Claims a batch of due rows and publishes it; returns when to look again (at once after a batch).</summary>
    private async Task<DateTimeOffset> ClaimAndPublishAsync(IOutboxPublisher publisher, IBrokerStore store, CancellationToken stoppingToken)
    {
        var claimed = await store.ClaimDueAsync(time.GetUtcNow(), BatchSize, stoppingToken);
        if (claimed.Count > 0)
        {
            await PublishAsync(publisher, store, claimed, stoppingToken);
            return time.GetUtcNow();
        }

        var next = await store.NextDueAsync(stoppingToken);
        var poll = time.GetUtcNow() + options.Value.PollInterval;
        return next is { } due && due < poll ? due : poll;
    }

    private async Task PublishAsync(IOutboxPublisher publisher, IBrokerStore store, List<OutboxMessage> claimed, CancellationToken stoppingToken)
    {
        var published = new List<long>(claimed.Count);
        foreach (var group in claimed.GroupBy(m => m.Queue))
        {
            try
            {
                await publisher.PublishAsync(group.Key, [.. group], stoppingToken);
                published.AddRange(group.Select(m => m.Id));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Broker down or restarting: the rows stay, unclaimed, and are tried again after a pause.
                Log.RelayFailed(logger, group.Count(), ex);
            }
        }

        if (published.Count > 0)
        {
            await store.DeleteAsync(published, CancellationToken.None);
        }

        if (published.Count < claimed.Count)
        {
            await store.UnclaimAsync(claimed.Select(m => m.Id).Except(published).ToList(), CancellationToken.None);
            await Task.Delay(FailureBackoff, time, stoppingToken);
        }
    }
}
