using IntegrationHub.Runtime.Queues;
using IntegrationHub.Runtime.TestHost;
using Microsoft.Extensions.DependencyInjection;
using static IntegrationHub.Runtime.Tests.Conformance.Messages;

namespace IntegrationHub.Runtime.Tests.Conformance;

/// <summary>
/// The conformance suite on the Azure Service Bus transport, against the Service Bus double in this
/// process: a namespace of the test's own, on the test's clock (locks, schedules and the duplicate
/// window move when the test moves it; the hosts of the crash and restart tests run on the system
/// clock, and so does the double then). What a real namespace would show and the double cannot is in
/// the README ("The Service Bus transport").
/// </summary>
public class ServiceBusConformanceTests : BrokerConformanceTests
{
    private ServiceBusNamespace? serviceBus;

    protected ServiceBusNamespace Namespace => serviceBus ?? throw new InvalidOperationException("The namespace starts with the test.");

    protected override IReadOnlyDictionary<string, string?> TransportSettings => Namespace.Settings();

    protected override async Task PrepareStoreAsync() => serviceBus = await ServiceBusNamespace.StartAsync(Clock);

    protected override async Task RemoveStoreAsync()
    {
        if (serviceBus is not null)
        {
            await serviceBus.DisposeAsync();
        }
    }

    protected override async Task UseSystemClockAsync()
    {
        await Namespace.DisposeAsync();
        serviceBus = await ServiceBusNamespace.StartAsync(TimeProvider.System);
    }

    protected override async Task PassOverTheQueueAsync() => await DrainAsync(Client, Queue);

    [Fact]
    public async Task Receive_PrefetchingReceiverHoldsFewerThanAskedFor_ReturnsWhatItHoldsInOrder()
    {
        // A function's receiver prefetches: after the first receive the namespace has delivered the
        // rest to it. Asked for more than it holds, one receive returns all it holds, in order, each
        // under its lock, and waits for nothing more.
        Hub.Services.GetRequiredService<IReceiverControl>().SetPrefetch(Queue, 20);
        await Client.SendBatchAsync(Queue, [.. Enumerable.Range(0, 6).Select(i => Create($"m{i}"))], CancellationToken.None);
        var first = await ReceiveAsync(Client, Queue, 1);
        await WaitUntilAsync(() => Task.FromResult(Namespace.FrameLog().Count(l => l.Contains($"NOTE delivered {Queue} ", StringComparison.OrdinalIgnoreCase)) >= 6),
            TimeSpan.FromSeconds(15), "the namespace to deliver every message to the prefetching receiver");

        var rest = await Client.ReceiveAsync(Queue, 10, TimeSpan.FromMinutes(5), CancellationToken.None);

        Assert.Equal(["m0"], first.Select(m => m.MessageId));
        Assert.Equal(["m1", "m2", "m3", "m4", "m5"], rest.Select(m => m.MessageId));
        Assert.All(rest, m => Assert.NotEmpty(m.LockToken));
        Assert.Equal(6, (await Hub.Admin.GetStatisticsAsync(Queue, CancellationToken.None)).LockedMessageCount);
    }

    [Fact]
    public async Task Namespace_RestartedMidRun_EveryMessageTakesEffectOnce()
    {
        // The work is held after its hundredth effect, with messages under locks, while the namespace
        // stops cleanly and starts again on the same port with its messages (the double's snapshot;
        // its locks are not kept, so those messages come again with a delivery counted).
        var work = await PrepareWorkAsync(runWorkHere: true, extra: new Dictionary<string, string?> { ["TestWork:HoldAfterEffects"] = "100" });
        await WaitForEffectsAsync(work.Host, n => n >= 100);

        await Namespace.RestartAsync();
        var effectsAfterRestart = await work.Host.ScalarAsync("SELECT COUNT(*) FROM test_work_effects");
        work.Host.Services.GetRequiredService<WorkGate>().Open();
        await WaitForEffectsAsync(work.Host, n => n == 400);

        Assert.InRange(effectsAfterRestart, 100, 399);
        await AssertEveryItemTookEffectOnceAsync(work);
    }
}
