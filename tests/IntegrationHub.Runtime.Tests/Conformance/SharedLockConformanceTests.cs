using System.Diagnostics;
using IntegrationHub.Core.Messaging;
using Microsoft.Extensions.DependencyInjection;
using static IntegrationHub.Runtime.Tests.Conformance.Messages;

namespace IntegrationHub.Runtime.Tests.Conformance;

/// <summary>
/// Receiving under a shared lock (<see cref="ISharedLockReceiver"/>): what a department pulls through
/// one hub instance it settles through another.
/// </summary>
public abstract partial class QueueConformanceTests
{
    [Fact]
    public async Task ReceiveShared_CompletedThroughAnotherInstance_IsGoneForGood()
    {
        var other = await StartHostAsync();
        await Client.SendAsync(Queue, Create("a"), CancellationToken.None);

        var pulled = await ReceiveSharedAsync(Hub, 1);
        var whilePulled = await other.Admin.GetStatisticsAsync(Queue, CancellationToken.None);
        await other.Client.CompleteAsync(Bare(pulled.Single()), CancellationToken.None);
        Clock.Advance(LockDuration * 2);

        Assert.Equal("a", pulled.Single().MessageId);
        Assert.Equal(Clock.GetUtcNow() - (LockDuration * 2) + LockDuration, pulled.Single().LockedUntilUtc);
        Assert.Equal(1, whilePulled.LockedMessageCount);
        Assert.Empty(await DrainAsync(Client, Queue));
        Assert.Equal(0, (await other.Admin.GetStatisticsAsync(Queue, CancellationToken.None)).LockedMessageCount);
    }

    [Fact]
    public async Task ReceiveShared_SettledThroughAnotherInstance_EachSettlementTakesEffect()
    {
        var other = await StartHostAsync();
        await Client.SendBatchAsync(Queue, [Create("renewed"), Create("abandoned"), Create("dead")], CancellationToken.None);
        var pulled = await ReceiveSharedAsync(Hub, 3);
        ReceivedMessage Pulled(string id) => Bare(pulled.Single(m => m.MessageId == id));

        Clock.Advance(LockDuration * 2 / 3);
        var renewedUntil = await other.Client.RenewLockAsync(Pulled("renewed"), CancellationToken.None);
        await other.Client.AbandonAsync(Pulled("abandoned"), null, CancellationToken.None);
        await other.Client.DeadLetterAsync(Pulled("dead"), "Refused", "The department refused it.", CancellationToken.None);
        Clock.Advance(LockDuration * 2 / 3);
        await other.Client.CompleteAsync(Pulled("renewed"), CancellationToken.None);
        var again = Assert.Single(await ReceiveSharedAsync(Hub, 1));
        var deadLetter = await ReceiveOneAsync(QueueNames.DeadLetterOf(Queue));

        Assert.Equal(Clock.GetUtcNow() - (LockDuration * 2 / 3) + LockDuration, renewedUntil);
        Assert.Equal(("abandoned", 2), (again.MessageId, again.DeliveryCount));
        Assert.Equal(("dead", "Refused", "The department refused it.", Queue), (deadLetter.MessageId, deadLetter.DeadLetterReason, deadLetter.DeadLetterErrorDescription, deadLetter.DeadLetterSource));
    }

    [Fact]
    public async Task ReceiveShared_LockRunsOut_MessageReturnsAndTheOldTokenIsRefusedEverywhere()
    {
        var other = await StartHostAsync();
        await Client.SendAsync(Queue, Create("a"), CancellationToken.None);
        var first = Assert.Single(await ReceiveSharedAsync(Hub, 1));

        Clock.Advance(LockDuration + TimeSpan.FromSeconds(1));
        var again = Assert.Single(await ReceiveSharedAsync(other, 1));
        var refused = await Assert.ThrowsAsync<MessageLockLostException>(() => other.Client.CompleteAsync(Bare(first), CancellationToken.None));

        Assert.Equal(("a", 2), (again.MessageId, again.DeliveryCount));
        Assert.Contains(first.LockToken, refused.Message, StringComparison.Ordinal);
        await Client.CompleteAsync(Bare(again), CancellationToken.None);
    }

    [Fact]
    public async Task ReceiveShared_FromADeadLetterQueue_IsRefusedNamingTheQueue()
    {
        var receiver = Hub.Services.GetRequiredService<ISharedLockReceiver>();

        var refused = await Assert.ThrowsAsync<ArgumentException>(() => receiver.ReceiveAsync(QueueNames.DeadLetterOf(Queue), 1, TimeSpan.Zero, CancellationToken.None));

        Assert.Contains($"'{QueueNames.DeadLetterOf(Queue)}' is a dead-letter queue", refused.Message, StringComparison.Ordinal);
    }

    /// <summary>Receives under a shared lock through <paramref name="host"/> until <paramref name="count"/> came (real time, bounded).</summary>
    private async Task<List<ReceivedMessage>> ReceiveSharedAsync(HubHost host, int count)
    {
        var receiver = host.Services.GetRequiredService<ISharedLockReceiver>();
        var received = new List<ReceivedMessage>();
        var watch = Stopwatch.StartNew();
        while (received.Count < count && watch.Elapsed < TimeSpan.FromSeconds(15))
        {
            var batch = await receiver.ReceiveAsync(Queue, count - received.Count, TimeSpan.Zero, CancellationToken.None);
            received.AddRange(batch);
            if (batch.Count == 0)
            {
                await Task.Delay(10);
            }
        }

        return received;
    }

    /// <summary>What a department sends back: the queue and the lock token, nothing else.</summary>
    private ReceivedMessage Bare(ReceivedMessage message) => new()
    {
        Queue = Queue,
        LockToken = message.LockToken,
        MessageId = "",
        Body = ReadOnlyMemory<byte>.Empty,
        SequenceNumber = 0,
        DeliveryCount = 0,
        EnqueuedTimeUtc = default,
    };
}
