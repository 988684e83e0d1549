using System.Collections.Concurrent;
using System.Threading.Channels;
using IntegrationHub.Core.Messaging;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;

namespace IntegrationHub.Runtime.RabbitMq;

/// <summary>
/// This process's consumer of one queue: the broker pushes up to the prefetch count of unacknowledged
/// deliveries; a background loop passes them, batch by batch, through the transport's acceptance
/// (duplicate detection and the delivery limit, which need the store) into a buffer, so that
/// receivers never wait for the store; receivers take them from there under a peek-lock kept here
/// (the broker has no lock duration): a lock not settled or renewed in time returns the message to
/// the queue. Lock tokens name the channel generation, so that after a reconnect a token from before
/// it is refused rather than acknowledging an unrelated delivery.
/// </summary>
internal sealed class RabbitMqReceiver : IAsyncDisposable
{
    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan AcceptFailureBackoff = TimeSpan.FromSeconds(1);

    private readonly Channel<Delivery> incoming = Channel.CreateUnbounded<Delivery>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Channel<Delivery> buffer = Channel.CreateUnbounded<Delivery>();
    private readonly CancellationTokenSource stopping = new();
    private readonly Func<RabbitMqReceiver, List<Delivery>, CancellationToken, Task<List<Delivery>>> accept;
    private readonly ConcurrentDictionary<string, Delivery> held = new(StringComparer.Ordinal);
    private readonly string nonce = Guid.NewGuid().ToString("N")[..12];
    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly SemaphoreSlim settling = new(1, 1);
    private readonly AckLedger ledger = new();
    private readonly RabbitMqConnections connections;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly ITimer sweeper;
    private IChannel? channel;
    private string? consumerTag;
    private Task accepting = Task.CompletedTask;
    private long generation;
    private int buffered;

    // accept returns the deliveries receivers may have, and settles the others itself.
    public RabbitMqReceiver(string queue, ushort prefetch, Func<RabbitMqReceiver, List<Delivery>, CancellationToken, Task<List<Delivery>>> accept, RabbitMqConnections connections, TimeProvider time, ILogger logger)
    {
        Queue = queue;
        Prefetch = prefetch;
        this.accept = accept;
        this.connections = connections;
        this.time = time;
        this.logger = logger;
        sweeper = time.CreateTimer(_ => ReturnExpiredLocks(), null, SweepInterval, SweepInterval);
    }

    public string Queue { get; }

    public ushort Prefetch { get; private set; }

    /// <summary>Deliveries waiting in the buffer: the broker counts them as unacknowledged, the hub as active.</summary>
    public int Buffered => Volatile.Read(ref buffered);

    /// <summary>Deliveries handed out and not yet settled.</summary>
    public int Locked => held.Count;

    /// <summary>Starts consuming, once; after a broker restart the client restarts the consumer itself.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (channel is not null)
        {
            return;
        }

        await gate.WaitAsync(cancellationToken);
        try
        {
            if (channel is not null)
            {
                return;
            }

            var connection = await connections.GetAsync(RabbitMqConnections.Consuming, cancellationToken);
            var opened = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
            await opened.BasicQosAsync(0, Prefetch, false, cancellationToken);
            opened.ChannelShutdownAsync += OnShutdownAsync;
            var consumer = new AsyncEventingBasicConsumer(opened);
            consumer.ReceivedAsync += OnReceivedAsync;
            accepting = Task.Run(AcceptLoopAsync, CancellationToken.None);
            consumerTag = await opened.BasicConsumeAsync(Queue, autoAck: false, consumer, cancellationToken);
            channel = opened;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Cancels the consumer; what it holds can still be settled until the channel closes.</summary>
    public async Task StopConsumingAsync(CancellationToken cancellationToken)
    {
        if (channel is { IsOpen: true } open && consumerTag is { } tag)
        {
            consumerTag = null;
            await open.BasicCancelAsync(tag, cancellationToken: cancellationToken);
        }
    }

    public async Task SetPrefetchAsync(ushort prefetch, CancellationToken cancellationToken)
    {
        Prefetch = prefetch;
        if (channel is { IsOpen: true } open)
        {
            await open.BasicQosAsync(0, prefetch, false, cancellationToken);
        }
    }

    /// <summary>Takes up to <paramref name="max"/> buffered deliveries, waiting up to <paramref name="maxWait"/> for the first.</summary>
    public async Task<List<Delivery>> TakeAsync(int max, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        var taken = Take(max);
        if (taken.Count > 0 || maxWait <= TimeSpan.Zero)
        {
            return taken;
        }

        using var timeout = new CancellationTokenSource(maxWait, time);
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            while (taken.Count == 0 && await buffer.Reader.WaitToReadAsync(waiting.Token))
            {
                taken = Take(max);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // maxWait passed with nothing delivered.
        }

        return taken;
    }

    /// <summary>Puts a delivery under a lock and returns the message as the receiver sees it.</summary>
    public ReceivedMessage Lock(Delivery delivery, TimeSpan lockDuration)
    {
        var token = $"{nonce}-{delivery.Generation}-{delivery.Tag}";
        delivery.LockedUntil = time.GetUtcNow() + lockDuration;
        held[token] = delivery;
        return delivery.Message with { LockToken = token, LockedUntilUtc = delivery.LockedUntil };
    }

    /// <summary>Takes the delivery a lock token holds; throws when the lock is unknown, expired or from before a reconnect.</summary>
    public Delivery Release(string lockToken)
    {
        if (!held.TryRemove(lockToken, out var delivery))
        {
            throw new MessageLockLostException(Queue, lockToken);
        }

        if (delivery.Generation != Interlocked.Read(ref generation) || delivery.LockedUntil <= time.GetUtcNow())
        {
            _ = NackAsync(delivery);
            throw new MessageLockLostException(Queue, lockToken);
        }

        return delivery;
    }

    public DateTimeOffset Renew(string lockToken, TimeSpan lockDuration)
    {
        if (!held.TryGetValue(lockToken, out var delivery) || delivery.LockedUntil <= time.GetUtcNow())
        {
            throw new MessageLockLostException(Queue, lockToken);
        }

        delivery.LockedUntil = time.GetUtcNow() + lockDuration;
        return delivery.LockedUntil;
    }

    /// <summary>Acknowledges the delivery, coalesced with its neighbours (see <see cref="AckLedger"/>).</summary>
    public Task AckAsync(Delivery delivery, string lockToken) => SettleAsync(delivery, lockToken, open => ledger.Complete(delivery.Tag).SendAsync(open));

    /// <summary>Returns the delivery to the queue.</summary>
    public Task RequeueAsync(Delivery delivery, string lockToken) => SettleAsync(delivery, lockToken, async open =>
    {
        await open.BasicNackAsync(delivery.Tag, multiple: false, requeue: true);
        await ledger.Returned(delivery.Tag).SendAsync(open);
    });

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        incoming.Writer.TryComplete();
        await accepting;
        await sweeper.DisposeAsync();
        await FlushAcknowledgementsAsync();
        if (channel is not null)
        {
            await channel.DisposeAsync();
        }

        gate.Dispose();
        settling.Dispose();
        stopping.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        var batch = new List<Delivery>();
        try
        {
            while (await incoming.Reader.WaitToReadAsync(stopping.Token))
            {
                batch.Clear();
                var current = Interlocked.Read(ref generation);
                while (batch.Count < 256 && incoming.Reader.TryRead(out var delivery))
                {
                    if (delivery.Generation == current)
                    {
                        batch.Add(delivery);
                    }
                    else
                    {
                        Interlocked.Decrement(ref buffered);
                    }
                }

                await AcceptAsync(batch);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Disposed.
        }
    }

    private async Task AcceptAsync(List<Delivery> batch)
    {
        if (batch.Count == 0)
        {
            return;
        }

        List<Delivery> accepted;
        try
        {
            accepted = await accept(this, batch, stopping.Token);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The store could not be asked: the broker gets the batch back and delivers it again.
            Log.AcceptFailed(logger, batch.Count, Queue, ex);
            Interlocked.Add(ref buffered, -batch.Count);
            foreach (var delivery in batch)
            {
                await NackAsync(delivery);
            }

            await Task.Delay(AcceptFailureBackoff, time, stopping.Token);
            return;
        }

        Interlocked.Add(ref buffered, accepted.Count - batch.Count);
        foreach (var delivery in accepted)
        {
            buffer.Writer.TryWrite(delivery);
        }
    }

    private List<Delivery> Take(int max)
    {
        var current = Interlocked.Read(ref generation);
        var taken = new List<Delivery>();
        while (taken.Count < max && buffer.Reader.TryRead(out var delivery))
        {
            Interlocked.Decrement(ref buffered);
            if (delivery.Generation == current)
            {
                taken.Add(delivery);
            }
        }

        return taken;
    }

    private async Task SettleAsync(Delivery delivery, string lockToken, Func<IChannel, ValueTask> settle)
    {
        // One settlement at a time: coalesced acknowledgements must reach the broker in ledger order.
        await settling.WaitAsync();
        try
        {
            if (delivery.Generation != Interlocked.Read(ref generation))
            {
                throw new MessageLockLostException(Queue, lockToken);
            }

            await settle(channel!);
        }
        catch (Exception ex) when (ex is AlreadyClosedException or OperationInterruptedException or ObjectDisposedException)
        {
            // The channel went down: the broker has returned the message to the queue already.
            throw new MessageLockLostException(Queue, lockToken);
        }
        finally
        {
            settling.Release();
        }
    }

    private Task OnReceivedAsync(object sender, BasicDeliverEventArgs delivery)
    {
        // The client reuses the body's memory once this handler returns, so the message keeps a copy.
        var message = RabbitMqMessages.Read(Queue, delivery.BasicProperties, delivery.Body.ToArray());
        Interlocked.Increment(ref buffered);
        ledger.Delivered(delivery.DeliveryTag);
        incoming.Writer.TryWrite(new Delivery(Interlocked.Read(ref generation), delivery.DeliveryTag, message, delivery.BasicProperties, RabbitMqMessages.CopyOf(delivery.BasicProperties), delivery.Redelivered));
        return Task.CompletedTask;
    }

    private Task OnShutdownAsync(object sender, ShutdownEventArgs args)
    {
        // Every unacknowledged delivery goes back to the queue with the channel; what was buffered or
        // locked here is void (the client recovers the channel and the broker delivers again).
        Interlocked.Increment(ref generation);
        held.Clear();
        ledger.Reset();
        return Task.CompletedTask;
    }

    private void ReturnExpiredLocks()
    {
        var now = time.GetUtcNow();
        foreach (var (token, delivery) in held)
        {
            if (delivery.LockedUntil <= now && held.TryRemove(token, out _))
            {
                Log.RabbitLockExpired(logger, delivery.Message.MessageId, Queue);
                _ = NackAsync(delivery);
            }
        }
    }

    private async Task NackAsync(Delivery delivery)
    {
        if (channel is not { IsOpen: true })
        {
            return;
        }

        try
        {
            await RequeueAsync(delivery, $"delivery {delivery.Tag}");
        }
        catch (MessageLockLostException)
        {
            // The channel closed meanwhile, which returned the message too.
        }
    }

    /// <summary>Sends the acknowledgements still waiting for a lower delivery, before the channel closes.</summary>
    private async Task FlushAcknowledgementsAsync()
    {
        if (channel is not { IsOpen: true } open)
        {
            return;
        }

        await settling.WaitAsync();
        try
        {
            await ledger.Drain().SendAsync(open);
        }
        catch (Exception ex) when (ex is AlreadyClosedException or OperationInterruptedException or ObjectDisposedException)
        {
            // Gone already: those messages are delivered again, and the inbox absorbs them.
        }
        finally
        {
            settling.Release();
        }
    }

    /// <summary>One delivery: its channel generation and tag, the message, whether the broker delivered it before, and its lock's expiry once locked.</summary>
    internal sealed record Delivery(long Generation, ulong Tag, ReceivedMessage Message, IReadOnlyBasicProperties Properties, string CopyId, bool Redelivered)
    {
        private long lockedUntilTicks;

        /// <summary>Read by the lock sweeper while a renewal may be writing it.</summary>
        public DateTimeOffset LockedUntil
        {
            get => new(Volatile.Read(ref lockedUntilTicks), TimeSpan.Zero);
            set => Volatile.Write(ref lockedUntilTicks, value.UtcTicks);
        }
    }
}
