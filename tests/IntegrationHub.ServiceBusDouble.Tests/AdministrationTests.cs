using Azure;
using Azure.Messaging.ServiceBus;
using Azure.Messaging.ServiceBus.Administration;

namespace IntegrationHub.ServiceBusDouble.Tests;

/// <summary>
/// The queue operations of ServiceBusAdministrationClient (learn.microsoft.com/dotnet/api/
/// azure.messaging.servicebus.administration.servicebusadministrationclient) over the double's
/// ATOM/XML endpoint, on the port of the AMQP endpoint.
/// </summary>
public sealed class AdministrationTests
{
    static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CreateQueue_KeepsTheSettingsTheHubNeeds()
    {
        await using TestNamespace sb = await TestNamespace.StartAsync();
        var options = new CreateQueueOptions("dept-stp")
        {
            MaxDeliveryCount = 5,
            LockDuration = TimeSpan.FromSeconds(45),
            RequiresDuplicateDetection = true,
            DuplicateDetectionHistoryTimeWindow = TimeSpan.FromMinutes(30),
            DeadLetteringOnMessageExpiration = true,
            DefaultMessageTimeToLive = TimeSpan.FromDays(14),
            MaxSizeInMegabytes = 2048,
        };

        QueueProperties created = await sb.Admin.CreateQueueAsync(options, Token);
        QueueProperties read = await sb.Admin.GetQueueAsync("dept-stp", Token);

        foreach (QueueProperties queue in new[] { created, read })
        {
            Assert.Equal("dept-stp", queue.Name);
            Assert.Equal(5, queue.MaxDeliveryCount);
            Assert.Equal(TimeSpan.FromSeconds(45), queue.LockDuration);
            Assert.True(queue.RequiresDuplicateDetection);
            Assert.Equal(TimeSpan.FromMinutes(30), queue.DuplicateDetectionHistoryTimeWindow);
            Assert.True(queue.DeadLetteringOnMessageExpiration);
            Assert.Equal(TimeSpan.FromDays(14), queue.DefaultMessageTimeToLive);
            Assert.Equal(2048, queue.MaxSizeInMegabytes);
        }

        Assert.True(await sb.Admin.QueueExistsAsync("DEPT-STP", Token));
    }

    [Fact]
    public async Task UpdateQueue_ChangesItsSettings_AndTheLockDurationReceiversGet()
    {
        await using TestNamespace sb = await TestNamespace.StartAsync();
        QueueProperties queue = await sb.Admin.CreateQueueAsync("deliver", Token);
        queue.MaxDeliveryCount = 3;
        queue.LockDuration = TimeSpan.FromMinutes(2);

        QueueProperties updated = await sb.Admin.UpdateQueueAsync(queue, Token);

        Assert.Equal((3, TimeSpan.FromMinutes(2)), (updated.MaxDeliveryCount, updated.LockDuration));
        Assert.Equal(3, (await sb.Admin.GetQueueAsync("deliver", Token)).Value.MaxDeliveryCount);
    }

    [Fact]
    public async Task CreateQueue_ThatExists_FailsWithMessagingEntityAlreadyExists()
    {
        await using TestNamespace sb = await TestNamespace.StartAsync("intake");

        var error = await Assert.ThrowsAsync<ServiceBusException>(() => sb.Admin.CreateQueueAsync("intake", Token));

        Assert.Equal(ServiceBusFailureReason.MessagingEntityAlreadyExists, error.Reason);
    }

    [Fact]
    public async Task GetUpdateDelete_OfAMissingQueue_FailWithMessagingEntityNotFound()
    {
        await using TestNamespace sb = await TestNamespace.StartAsync();
        QueueProperties deleted = await sb.Admin.CreateQueueAsync("missing", Token);
        await sb.Admin.DeleteQueueAsync("missing", Token);

        var get = await Assert.ThrowsAsync<ServiceBusException>(() => sb.Admin.GetQueueAsync("missing", Token));
        var update = await Assert.ThrowsAsync<ServiceBusException>(() => sb.Admin.UpdateQueueAsync(deleted, Token));
        var delete = await Assert.ThrowsAsync<ServiceBusException>(() => sb.Admin.DeleteQueueAsync("missing", Token));

        Assert.All(new[] { get, update, delete }, e => Assert.Equal(ServiceBusFailureReason.MessagingEntityNotFound, e.Reason));
        Assert.False(await sb.Admin.QueueExistsAsync("missing", Token));
    }

    [Fact]
    public async Task DeleteQueue_RemovesItAndItsMessages()
    {
        await using TestNamespace sb = await TestNamespace.StartAsync("intake");
        await PeekLockTests.SendAsync(sb, "intake", "m-1");

        await sb.Admin.DeleteQueueAsync("intake", Token);

        Assert.False(await sb.Admin.QueueExistsAsync("intake", Token));
        await using ServiceBusSender sender = sb.Client.CreateSender("intake");
        var error = await Assert.ThrowsAsync<ServiceBusException>(() => sender.SendMessageAsync(new ServiceBusMessage("x"), Token));
        Assert.Equal(ServiceBusFailureReason.MessagingEntityNotFound, error.Reason);
    }

    [Fact]
    public async Task GetQueues_ListsEveryQueue()
    {
        await using TestNamespace sb = await TestNamespace.StartAsync("intake", "route", "portal-status");

        var names = new List<string>();
        await foreach (QueueProperties queue in sb.Admin.GetQueuesAsync(Token))
        {
            names.Add(queue.Name);
        }

        Assert.Equal(["intake", "portal-status", "route"], names);
    }

    [Fact]
    public async Task GetQueueRuntimeProperties_CountsActiveDeadLetteredAndScheduledMessages()
    {
        await using TestNamespace sb = await TestNamespace.StartAsync("intake");
        await using ServiceBusSender sender = sb.Client.CreateSender("intake");
        await sender.SendMessagesAsync([new ServiceBusMessage("a"), new ServiceBusMessage("b"), new ServiceBusMessage("c")], Token);
        await sender.ScheduleMessageAsync(new ServiceBusMessage("later"), TimeProvider.System.GetUtcNow().AddHours(1), Token);
        await using ServiceBusReceiver receiver = sb.Client.CreateReceiver("intake");
        await receiver.DeadLetterMessageAsync((await receiver.ReceiveMessageAsync(TimeSpan.FromSeconds(10), Token))!, "bad", cancellationToken: Token);

        QueueRuntimeProperties runtime = await sb.Admin.GetQueueRuntimePropertiesAsync("intake", Token);

        Assert.Equal("intake", runtime.Name);
        Assert.Equal(2, runtime.ActiveMessageCount);
        Assert.Equal(1, runtime.DeadLetterMessageCount);
        Assert.Equal(1, runtime.ScheduledMessageCount);
        Assert.Equal(0, runtime.TransferMessageCount);
        Assert.Equal(4, runtime.TotalMessageCount);
        Assert.True(runtime.SizeInBytes > 0);
    }

    [Fact]
    public async Task CreateQueue_WithSessionsOrATopic_IsRefusedClearly()
    {
        await using TestNamespace sb = await TestNamespace.StartAsync();

        var sessions = await Assert.ThrowsAsync<ArgumentException>(() => sb.Admin.CreateQueueAsync(new CreateQueueOptions("s") { RequiresSession = true }, Token));
        var topic = await Assert.ThrowsAsync<ArgumentException>(() => sb.Admin.CreateTopicAsync("t", Token));

        Assert.Contains("Sessions", sessions.Message, StringComparison.Ordinal);
        Assert.Contains("topics", topic.Message, StringComparison.Ordinal);
        Assert.IsType<RequestFailedException>(topic.InnerException);
    }
}
