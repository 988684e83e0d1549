using System.Collections.Concurrent;
using Azure.Messaging.ServiceBus;
using Azure.Messaging.ServiceBus.Administration;

namespace IntegrationHub.ServiceBusDouble.Tests;

/// <summary>
/// ServiceBusProcessor with auto-complete and auto lock renewal
/// (learn.microsoft.com/azure/service-bus-messaging/message-transfers-locks-settlement, "Renew locks").
/// These run on the system clock: the SDK schedules lock renewal from LockedUntil and the wall clock.
/// </summary>
public sealed class ProcessorTests
{
    static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Processor_WithAutoComplete_ProcessesEveryMessageOnce_AndEmptiesTheQueue()
    {
        await using TestNamespace sb = await TestNamespace.StartAsync("intake");
        await using ServiceBusSender sender = sb.Client.CreateSender("intake");
        await sender.SendMessagesAsync(Enumerable.Range(1, 25).Select(i => new ServiceBusMessage($"{i}") { MessageId = $"m-{i}" }), Token);
        var processed = new ConcurrentBag<string>();
        var errors = new ConcurrentBag<Exception>();

        await using ServiceBusProcessor processor = sb.Client.CreateProcessor("intake", new ServiceBusProcessorOptions { AutoCompleteMessages = true, MaxConcurrentCalls = 4 });
        processor.ProcessMessageAsync += args => { processed.Add(args.Message.MessageId); return Task.CompletedTask; };
        processor.ProcessErrorAsync += args => { errors.Add(args.Exception); return Task.CompletedTask; };
        await processor.StartProcessingAsync(Token);
        Assert.True(await Eventually.TrueAsync(() => processed.Count >= 25));
        Assert.True(await Eventually.TrueAsync(() => IsEmptyAsync(sb, "intake")));
        await processor.StopProcessingAsync(Token);

        Assert.Equal(Enumerable.Range(1, 25).Select(i => $"m-{i}").Order(), processed.Order());
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Processor_WithAutoLockRenewal_HoldsTheLockPastTheLockDuration()
    {
        await using TestNamespace sb = await TestNamespace.StartAsync(null, ("deliver", new QueueSettings { LockDuration = TimeSpan.FromSeconds(2) }));
        await PeekLockTests.SendAsync(sb, "deliver", "slow-1");
        var errors = new ConcurrentBag<Exception>();
        int deliveries = 0;

        await using ServiceBusProcessor processor = sb.Client.CreateProcessor("deliver", new ServiceBusProcessorOptions
        {
            AutoCompleteMessages = true,
            MaxAutoLockRenewalDuration = TimeSpan.FromMinutes(1),
        });
        processor.ProcessMessageAsync += async args =>
        {
            Interlocked.Increment(ref deliveries);
            // Held until the lock has been renewed twice, beyond two lock durations.
            await Eventually.TrueAsync(() => Renewals(sb) >= 2);
        };
        processor.ProcessErrorAsync += args => { errors.Add(args.Exception); return Task.CompletedTask; };
        await processor.StartProcessingAsync(Token);
        Assert.True(await Eventually.TrueAsync(() => IsEmptyAsync(sb, "deliver")));
        await processor.StopProcessingAsync(Token);

        Assert.True(Renewals(sb) >= 2);
        Assert.Equal(1, deliveries);
        Assert.Empty(errors);
    }

    static int Renewals(TestNamespace sb) =>
        sb.Double.FrameLog().Count(line => line.Contains("com.microsoft:renew-lock on deliver: 200", StringComparison.Ordinal));

    static async Task<bool> IsEmptyAsync(TestNamespace sb, string queue) =>
        (await sb.Admin.GetQueueRuntimePropertiesAsync(queue, Token)).Value.TotalMessageCount == 0;
}
