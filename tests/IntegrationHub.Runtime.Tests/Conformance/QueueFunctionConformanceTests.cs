using System.Text;
using IntegrationHub.Core.Messaging;
using IntegrationHub.Runtime.Functions;
using IntegrationHub.Runtime.Tests.Fakes;
using Microsoft.Extensions.DependencyInjection;
using static IntegrationHub.Runtime.Tests.Conformance.Messages;

namespace IntegrationHub.Runtime.Tests.Conformance;

/// <summary>The function runtime on each transport: settling, retries, dead letters for bad bodies, concurrency, shutdown.</summary>
public abstract partial class QueueConformanceTests
{
    private const string RetryHostJson = """
        {
          "version": "2.0",
          "extensions": { "serviceBus": { "prefetchCount": 4, "maxConcurrentCalls": 2, "autoCompleteMessages": true } },
          "retry": { "strategy": "exponentialBackoff", "maxRetryCount": 2, "minimumInterval": "00:00:05", "maximumInterval": "00:01:00" }
        }
        """;

    private readonly Probe probe = new();

    [Fact]
    public async Task QueueFunction_Succeeds_MessageIsCompleted()
    {
        await StartFunctionsAsync();

        await Client.SendAsync(Queue, Order("o-1", 1), CancellationToken.None);
        await WaitUntilAsync(() => Task.FromResult(probe.Calls.Count == 1), TimeSpan.FromSeconds(15), "the function to run");
        await WaitForStatisticsAsync(s => s.ActiveMessageCount + s.LockedMessageCount == 0);
        Clock.Advance(LockDuration * 2);
        var afterLockDuration = await Hub.Admin.GetStatisticsAsync(Queue, CancellationToken.None);

        Assert.Equal(("o-1", 1), Assert.Single(probe.Calls));
        Assert.Equal(0, afterLockDuration.ActiveMessageCount + afterLockDuration.LockedMessageCount + afterLockDuration.DeadLetterMessageCount);
    }

    [Fact]
    public async Task QueueFunction_ThrowsEveryTime_IsRetriedAfterTheBackoffThenDeadLetteredWithTheException()
    {
        probe.Behaviour = (context, _) => throw new InvalidOperationException($"Population database timed out (delivery {context.DeliveryCount}).");
        await StartFunctionsAsync(hostJson: RetryHostJson);

        await Client.SendAsync(Queue, Order("o-1", 1), CancellationToken.None);
        await WaitForCallsAsync(1);
        await WaitForStatisticsAsync(s => s.ScheduledMessageCount == 1);
        Clock.Advance(TimeSpan.FromSeconds(4));
        var stillWaiting = await Hub.Admin.GetStatisticsAsync(Queue, CancellationToken.None);
        Clock.Advance(TimeSpan.FromSeconds(1));
        await WaitForCallsAsync(2);
        await WaitForStatisticsAsync(s => s.ScheduledMessageCount == 1);
        Clock.Advance(TimeSpan.FromSeconds(10));
        await WaitForCallsAsync(3);
        await WaitForStatisticsAsync(s => s.DeadLetterMessageCount == 1);
        var deadLetter = await ReceiveOneAsync(QueueNames.DeadLetterOf(Queue));

        Assert.Equal(1, stillWaiting.ScheduledMessageCount);
        Assert.Equal([1, 2, 3], probe.Calls.Select(c => c.DeliveryCount));
        Assert.Equal(DeadLetterReasons.MaxDeliveryCountExceeded, deadLetter.DeadLetterReason);
        Assert.Contains("Population database timed out (delivery 3).", deadLetter.DeadLetterErrorDescription, StringComparison.Ordinal);
        Assert.Contains("InvalidOperationException", deadLetter.DeadLetterErrorDescription, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QueueFunction_BodyNotItsContract_IsDeadLetteredAtOnceNamingThePath()
    {
        await StartFunctionsAsync();

        await Client.SendAsync(Queue, Create("o-1", body: """{"number":"seven"}"""), CancellationToken.None);
        await WaitForStatisticsAsync(s => s.DeadLetterMessageCount == 1);
        var deadLetter = await ReceiveOneAsync(QueueNames.DeadLetterOf(Queue));

        Assert.Empty(probe.Calls);
        Assert.Equal(DeadLetterReasons.DeserializationFailed, deadLetter.DeadLetterReason);
        Assert.Contains("$.number", deadLetter.DeadLetterErrorDescription, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QueueFunction_BodyNamingAFieldTwice_IsDeadLetteredAtOnceNamingTheField()
    {
        await StartFunctionsAsync(services => services.AddQueueFunction<IntegrationHub.Schemas.DepartmentStatusReport, RecordStatusOnQueue>(Queue));
        var report = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "schemas", "examples", "department-status-report.json"))
            .Replace("\"name\": \"Lê Thu Hà\"", "\"name\": \"Lê Thu Hà\", \"name\": \"Nguyễn Văn B\"", StringComparison.Ordinal);

        await Client.SendAsync(Queue, Create("report-twice", body: report), CancellationToken.None);
        await WaitForStatisticsAsync(s => s.DeadLetterMessageCount == 1);
        var deadLetter = await ReceiveOneAsync(QueueNames.DeadLetterOf(Queue));

        Assert.Empty(probe.Calls);
        Assert.Equal(DeadLetterReasons.DeserializationFailed, deadLetter.DeadLetterReason);
        Assert.Contains("$.officer.name", deadLetter.DeadLetterErrorDescription, StringComparison.Ordinal);
        Assert.Contains("Duplicate property 'name'", deadLetter.DeadLetterErrorDescription, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QueueFunction_BodyFailsItsPublishedSchema_IsDeadLetteredAtOnceNamingTheField()
    {
        await StartFunctionsAsync(services => services.AddQueueFunction<IntegrationHub.Schemas.DepartmentStatusReport, RecordStatusOnQueue>(Queue));
        var report = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "schemas", "examples", "department-status-report.json"))
            .Replace("\"name\": \"Lê Thu Hà\"", "\"name\": \"\"", StringComparison.Ordinal);

        await Client.SendAsync(Queue, Create("report-1", body: report), CancellationToken.None);
        await WaitForStatisticsAsync(s => s.DeadLetterMessageCount == 1);
        var deadLetter = await ReceiveOneAsync(QueueNames.DeadLetterOf(Queue));

        Assert.Empty(probe.Calls);
        Assert.Equal(DeadLetterReasons.SchemaValidationFailed, deadLetter.DeadLetterReason);
        Assert.Contains("$.officer.name", deadLetter.DeadLetterErrorDescription, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QueueFunction_AutoCompleteOff_TheFunctionSettlesAndAnUnsettledMessageReturns()
    {
        probe.Behaviour = (context, token) => context.DeliveryCount == 1 ? Task.CompletedTask : context.CompleteAsync(token);
        await StartFunctionsAsync(services => services.AddQueueFunction<Order, ProcessOrderOnQueue>(Queue, o => o.AutoCompleteMessages = false));

        await Client.SendAsync(Queue, Order("o-1", 1), CancellationToken.None);
        await WaitForCallsAsync(1);
        var leftLocked = await WaitForStatisticsAsync(s => s.LockedMessageCount == 1);
        Clock.Advance(LockDuration + TimeSpan.FromSeconds(1));
        await WaitForCallsAsync(2);
        await WaitForStatisticsAsync(s => s.LockedMessageCount + s.ActiveMessageCount == 0);
        Clock.Advance(LockDuration * 2);
        var afterLockDuration = await Hub.Admin.GetStatisticsAsync(Queue, CancellationToken.None);

        Assert.Equal(1, leftLocked.LockedMessageCount);
        Assert.Equal([1, 2], probe.Calls.Select(c => c.DeliveryCount));
        Assert.Equal(0, afterLockDuration.ActiveMessageCount + afterLockDuration.LockedMessageCount);
    }

    [Fact]
    public async Task QueueFunction_RunningPastItsLockDuration_KeepsItsLockByRenewal()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        QueueFunctionContext? running = null;
        probe.Behaviour = (context, _) =>
        {
            running = context;
            return release.Task;
        };
        await StartFunctionsAsync();

        await Client.SendAsync(Queue, Order("o-1", 1), CancellationToken.None);
        await WaitForCallsAsync(1);
        var firstLock = running!.LockedUntilUtc;
        Clock.Advance(LockDuration * 0.6);
        await WaitUntilAsync(() => Task.FromResult(running.LockedUntilUtc > firstLock), TimeSpan.FromSeconds(15), "the lock's renewal");
        Clock.Advance(LockDuration * 0.6);
        var heldPastTheFirstLock = running.LockedUntilUtc > Clock.GetUtcNow();
        release.SetResult();
        await WaitForStatisticsAsync(s => s.ActiveMessageCount + s.LockedMessageCount == 0);

        Assert.True(Clock.GetUtcNow() > firstLock);
        Assert.True(heldPastTheFirstLock);
        Assert.Equal([1], probe.Calls.Select(c => c.DeliveryCount));
    }

    [Fact]
    public async Task QueueFunction_MaxConcurrentCalls_IsNeverExceeded()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        probe.Behaviour = (_, _) => gate.Task;
        await StartFunctionsAsync(services => services.AddQueueFunction<Order, ProcessOrderOnQueue>(Queue, o =>
        {
            o.MaxConcurrentCalls = 3;
            o.PrefetchCount = 10;
        }));

        await Client.SendBatchAsync(Queue, Enumerable.Range(1, 12).Select(i => Order($"o-{i}", i)).ToList(), CancellationToken.None);
        await WaitUntilAsync(() => Task.FromResult(probe.Running == 3), TimeSpan.FromSeconds(15), "three running functions");
        await WaitForStatisticsAsync(s => s.LockedMessageCount == 12);
        var runningWhileAllReceived = probe.Running;
        gate.SetResult();
        await WaitForCallsAsync(12);

        Assert.Equal(3, runningWhileAllReceived);
        Assert.Equal(3, probe.MaxRunning);
    }

    [Fact]
    public async Task Host_StoppedWhileProcessing_FinishesWhatRunsAndReturnsTheRest()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        probe.Behaviour = (context, _) => context.DeliveryCount == 1 ? release.Task : Task.CompletedTask;
        await StartFunctionsAsync(services => services.AddQueueFunction<Order, ProcessOrderOnQueue>(Queue, o =>
        {
            o.MaxConcurrentCalls = 2;
            o.PrefetchCount = 6;
        }));
        await Client.SendBatchAsync(Queue, Enumerable.Range(1, 8).Select(i => Order($"o-{i}", i)).ToList(), CancellationToken.None);
        await WaitUntilAsync(() => Task.FromResult(probe.Running == 2), TimeSpan.FromSeconds(15), "two running functions");
        await WaitForStatisticsAsync(s => s.LockedMessageCount == 8);

        var stopping = Hub.StopAsync();
        release.SetResult();
        await stopping;
        var restarted = await RestartHostAsync(services => services.AddSingleton(probe).AddQueueFunction<Order, ProcessOrderOnQueue>(Queue));
        await WaitUntilAsync(() => Task.FromResult(probe.Calls.Select(c => c.MessageId).Distinct().Count() == 8), TimeSpan.FromSeconds(15), "every message");
        await WaitUntilAsync(async () => (await restarted.Admin.GetStatisticsAsync(Queue, CancellationToken.None)) is { ActiveMessageCount: 0, LockedMessageCount: 0 }, TimeSpan.FromSeconds(15), "an empty queue");

        var calls = probe.Calls.ToList();
        Assert.Equal(8, calls.Count);
        Assert.Equal(2, calls.Count(c => c.DeliveryCount == 1));
        Assert.Equal(6, calls.Count(c => c.DeliveryCount == 2));
    }

    [Fact]
    public async Task Host_StoppedAsManyFunctionsFinish_SettlesEachOnceAndRunsNoneAgain()
    {
        // Many functions finish at the moment the host stops: each completion races the receiver's
        // closing, and each must still be settled, so that no message comes back to run again.
        const int count = 32;
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        probe.Behaviour = (_, _) => release.Task;
        await StartFunctionsAsync(services => services.AddQueueFunction<Order, ProcessOrderOnQueue>(Queue, o =>
        {
            o.MaxConcurrentCalls = count;
            o.PrefetchCount = 0;
        }));
        await Client.SendBatchAsync(Queue, Enumerable.Range(1, count).Select(i => Order($"o-{i}", i)).ToList(), CancellationToken.None);
        await WaitUntilAsync(() => Task.FromResult(probe.Running == count), TimeSpan.FromSeconds(15), $"{count} running functions");

        var stopping = Hub.StopAsync();
        release.SetResult();
        await stopping;
        var restarted = await RestartHostAsync(services => services.AddSingleton(probe).AddQueueFunction<Order, ProcessOrderOnQueue>(Queue));
        await WaitUntilAsync(async () => (await restarted.Admin.GetStatisticsAsync(Queue, CancellationToken.None)) is { ActiveMessageCount: 0, LockedMessageCount: 0 }, TimeSpan.FromSeconds(15), "an empty queue");

        Assert.Equal(count, probe.Calls.Count);
        Assert.Equal(count, probe.Calls.Select(c => c.MessageId).Distinct().Count());
    }

    private async Task StartFunctionsAsync(Action<IServiceCollection>? functions = null, string? hostJson = null)
    {
        await RestartHostAsync(
            services =>
            {
                services.AddSingleton(probe);
                if (functions is null)
                {
                    services.AddQueueFunction<Order, ProcessOrderOnQueue>(Queue);
                }
                else
                {
                    functions(services);
                }
            },
            hostJson);
    }

    private async Task WaitForCallsAsync(int count) =>
        await WaitUntilAsync(() => Task.FromResult(probe.Calls.Count >= count), TimeSpan.FromSeconds(15), $"{count} calls of the function");

    private static OutgoingMessage Order(string id, int number) => Create(id, body: $$"""{"number":{{number}}}""");
}
