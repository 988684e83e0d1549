using System.Collections.Concurrent;
using IntegrationHub.Core.Messaging;
using IntegrationHub.Runtime.Functions;

namespace IntegrationHub.Runtime.Tests.Functions;

[Trait("Category", "Unit")]
public sealed class MessageDispatcherTests
{
    [Fact]
    public async Task MessageBeingSettled_FreesItsCallSlot_ButCountsAsUnfinishedUntilSettled()
    {
        var started = new List<string>();
        var settlements = new Dictionary<string, TaskCompletionSource>();
        var finished = 0;
        var dispatcher = new MessageDispatcher(
            concurrency: 1,
            message =>
            {
                started.Add(message.MessageId);
                settlements[message.MessageId] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                return Task.FromResult(settlements[message.MessageId].Task);
            },
            () => Interlocked.Increment(ref finished));

        dispatcher.Enqueue(Message("m-1"));
        dispatcher.Enqueue(Message("m-2"));
        var drained = dispatcher.DrainedAsync();
        var finishedWhileBothSettle = Volatile.Read(ref finished);
        settlements["m-1"].SetResult();
        settlements["m-2"].SetResult();
        await drained.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        Assert.Equal(["m-1", "m-2"], started);
        Assert.Equal(0, finishedWhileBothSettle);
        Assert.Equal(2, Volatile.Read(ref finished));
    }

    [Fact]
    public async Task RunningFunctions_NeverExceedTheConcurrency_AndTheNextStartsWhenOneReturns()
    {
        // Written by the dispatcher's continuations, read by the test: a concurrent map.
        var calls = new ConcurrentDictionary<string, TaskCompletionSource<Task>>();
        var dispatcher = new MessageDispatcher(
            concurrency: 2,
            message => (calls[message.MessageId] = new TaskCompletionSource<Task>(TaskCreationOptions.RunContinuationsAsynchronously)).Task,
            () => { });

        foreach (var id in new[] { "m-1", "m-2", "m-3" })
        {
            dispatcher.Enqueue(Message(id));
        }

        var startedWhileTwoRun = calls.Keys.Order().ToList();
        var settling = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        calls["m-1"].SetResult(settling.Task);
        await WaitUntilAsync(() => calls.ContainsKey("m-3"));
        var drained = dispatcher.DrainedAsync();
        calls["m-2"].SetResult(Task.CompletedTask);
        calls["m-3"].SetResult(Task.CompletedTask);
        var drainedBeforeSettled = await Task.WhenAny(drained, Task.Delay(200, TestContext.Current.CancellationToken)) == drained;
        settling.SetResult();
        await drained.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        Assert.Equal(["m-1", "m-2"], startedWhileTwoRun);
        Assert.False(drainedBeforeSettled);
    }

    private static ReceivedMessage Message(string id) => new()
    {
        Queue = "orders", LockToken = id, MessageId = id, Body = ReadOnlyMemory<byte>.Empty, SequenceNumber = 1, DeliveryCount = 1, EnqueuedTimeUtc = default,
    };

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        Assert.True(condition(), "the condition did not hold within 5 s");
    }
}
