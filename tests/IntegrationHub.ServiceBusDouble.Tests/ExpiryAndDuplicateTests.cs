using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.Time.Testing;

namespace IntegrationHub.ServiceBusDouble.Tests;

/// <summary>
/// Duplicate detection (learn.microsoft.com/azure/service-bus-messaging/duplicate-detection: a resend
/// within the window "is reported as accepted... but the newly sent message is instantly ignored and
/// dropped") and expiry (message-expiration; service-bus-dead-letter-queues, TTLExpiredException).
/// </summary>
public sealed class ExpiryAndDuplicateTests
{
    static readonly QueueSettings Deduplicating = new() { RequiresDuplicateDetection = true, DuplicateDetectionHistoryTimeWindow = TimeSpan.FromMinutes(10) };

    static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ResendWithinTheWindow_IsAcceptedButDropped()
    {
        FakeTimeProvider clock = TestNamespace.NewClock();
        await using TestNamespace sb = await TestNamespace.StartAsync(clock, ("route", Deduplicating));

        await PeekLockTests.SendAsync(sb, "route", "dossier-1/route", body: "first");
        clock.Advance(TimeSpan.FromMinutes(9));
        await PeekLockTests.SendAsync(sb, "route", "dossier-1/route", body: "second");

        await using ServiceBusReceiver receiver = sb.Client.CreateReceiver("route");
        IReadOnlyList<ServiceBusReceivedMessage> all = await receiver.PeekMessagesAsync(10, 1, Token);
        Assert.Equal(["first"], all.Select(m => m.Body.ToString()));
    }

    [Fact]
    public async Task ResendAfterTheWindow_IsEnqueued()
    {
        FakeTimeProvider clock = TestNamespace.NewClock();
        await using TestNamespace sb = await TestNamespace.StartAsync(clock, ("route", Deduplicating));

        await PeekLockTests.SendAsync(sb, "route", "dossier-1/route", body: "first");
        clock.Advance(TimeSpan.FromMinutes(10));
        await PeekLockTests.SendAsync(sb, "route", "dossier-1/route", body: "second");

        await using ServiceBusReceiver receiver = sb.Client.CreateReceiver("route");
        Assert.Equal(["first", "second"], (await receiver.PeekMessagesAsync(10, 1, Token)).Select(m => m.Body.ToString()));
    }

    [Fact]
    public async Task QueueWithoutDuplicateDetection_KeepsEveryCopy()
    {
        await using TestNamespace sb = await TestNamespace.StartAsync("route");

        await PeekLockTests.SendAsync(sb, "route", "same");
        await PeekLockTests.SendAsync(sb, "route", "same");

        await using ServiceBusReceiver receiver = sb.Client.CreateReceiver("route");
        Assert.Equal(2, (await receiver.PeekMessagesAsync(10, 1, Token)).Count);
    }

    [Fact]
    public async Task ExpiredMessage_IsDropped()
    {
        FakeTimeProvider clock = TestNamespace.NewClock();
        await using TestNamespace sb = await TestNamespace.StartAsync(clock, ("alerts", null));
        await using ServiceBusSender sender = sb.Client.CreateSender("alerts");
        await sender.SendMessageAsync(new ServiceBusMessage("stale") { TimeToLive = TimeSpan.FromMinutes(5) }, Token);

        clock.Advance(TimeSpan.FromMinutes(5));

        await using ServiceBusReceiver receiver = sb.Client.CreateReceiver("alerts");
        Assert.Null(await receiver.ReceiveMessageAsync(TimeSpan.FromMilliseconds(300), Token));
        Assert.Equal(0, (await sb.Admin.GetQueueRuntimePropertiesAsync("alerts", Token)).Value.TotalMessageCount);
    }

    [Fact]
    public async Task ExpiredMessage_OnAQueueThatAsksForIt_IsDeadLetteredWithTtlExpiredException()
    {
        FakeTimeProvider clock = TestNamespace.NewClock();
        var settings = new QueueSettings { DefaultMessageTimeToLive = TimeSpan.FromHours(1), DeadLetteringOnMessageExpiration = true };
        await using TestNamespace sb = await TestNamespace.StartAsync(clock, ("alerts", settings));
        await PeekLockTests.SendAsync(sb, "alerts", "a-1");

        clock.Advance(TimeSpan.FromHours(1));

        await using ServiceBusReceiver deadLetters = sb.Client.CreateReceiver("alerts", new ServiceBusReceiverOptions { SubQueue = SubQueue.DeadLetter });
        ServiceBusReceivedMessage dead = (await deadLetters.ReceiveMessageAsync(TimeSpan.FromSeconds(10), Token))!;
        Assert.Equal(("a-1", "TTLExpiredException"), (dead.MessageId, dead.DeadLetterReason));
    }
}
