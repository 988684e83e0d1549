using System.Collections.Concurrent;
using Azure.Messaging.ServiceBus;
using Azure.Messaging.ServiceBus.Administration;
using IntegrationHub.Core.Messaging;
using IntegrationHub.Runtime.Queues;
using IntegrationHub.Runtime.RabbitMq;
using IntegrationHub.Runtime.Store;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Runtime.ServiceBus;

/// <summary>
/// Declares Service Bus queues with the hub's settings (lock duration, max delivery count,
/// dead-lettering of expired messages; the namespace's duplicate detection off, since the hub keeps
/// its own claims), in the namespace through <see cref="ServiceBusAdministrationClient"/> and in the
/// registry; counts their messages from the namespace's runtime properties. The namespace has no
/// locked count and counts a locked message as active: locked are this process's function locks and
/// every instance's pulls, taken out of the active ones; scheduled are the namespace's and the
/// outbox's.
/// </summary>
internal sealed class ServiceBusQueueAdmin(
    ServiceBusClients clients,
    ServiceBusLocks locks,
    ServiceBusPulls pulls,
    QueueRegistry registry,
    IHubStore store,
    IOptions<MessagingOptions> options,
    TimeProvider time,
    ILogger<ServiceBusQueueAdmin> logger) : IQueueAdmin
{
    private readonly ConcurrentDictionary<string, bool> declared = new(StringComparer.Ordinal);

    public async Task EnsureQueueAsync(string queue, CancellationToken cancellationToken)
    {
        QueueRules.ValidateDeclarable(queue);
        if (!declared.ContainsKey(queue))
        {
            await DeclareAsync(queue, cancellationToken);
            declared[queue] = true;
        }

        await registry.DeclareAsync(queue, cancellationToken);
    }

    public Task<IReadOnlyList<string>> ListQueuesAsync(CancellationToken cancellationToken) => registry.ListAsync(cancellationToken);

    public async Task<QueueStatistics> GetStatisticsAsync(string queue, CancellationToken cancellationToken)
    {
        await registry.EnsureKnownAsync(queue, cancellationToken);
        var source = QueueNames.SourceOf(queue);
        QueueRuntimeProperties counts = await ServiceBusErrors.Refusing(queue, null, async () => (await clients.Admin.GetQueueRuntimePropertiesAsync(source, cancellationToken)).Value);
        var locked = locks.CountLocked(source) + await pulls.CountAsync(source, cancellationToken);
        long scheduled;
        await using (var database = await store.OpenAsync(cancellationToken))
        {
            scheduled = await OutboxRows.CountScheduledAsync(database, source, time.GetUtcNow(), cancellationToken);
        }

        return new QueueStatistics
        {
            Queue = source,
            ActiveMessageCount = Math.Max(0, counts.ActiveMessageCount - locked),
            LockedMessageCount = locked,
            ScheduledMessageCount = counts.ScheduledMessageCount + scheduled,
            DeadLetterMessageCount = counts.DeadLetterMessageCount,
        };
    }

    /// <summary>Creates the queue, or gives an existing one the hub's settings where they differ.</summary>
    private async Task DeclareAsync(string queue, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var admin = clients.Admin;
        if (!(await admin.QueueExistsAsync(queue, cancellationToken)).Value)
        {
            try
            {
                await admin.CreateQueueAsync(
                    new CreateQueueOptions(queue)
                    {
                        LockDuration = settings.LockDuration,
                        MaxDeliveryCount = settings.MaxDeliveryCount,
                        DeadLetteringOnMessageExpiration = true,
                        RequiresDuplicateDetection = false,
                    },
                    cancellationToken);
                Log.ServiceBusQueueCreated(logger, queue, clients.Namespace);
                return;
            }
            catch (ServiceBusException ex) when (ex.Reason == ServiceBusFailureReason.MessagingEntityAlreadyExists)
            {
                // Another instance declared it meanwhile.
            }
        }

        QueueProperties existing = (await admin.GetQueueAsync(queue, cancellationToken)).Value;
        if (existing.RequiresDuplicateDetection)
        {
            // It cannot be turned off on an existing queue.
            Log.ServiceBusQueueDeduplicates(logger, queue, existing.DuplicateDetectionHistoryTimeWindow);
        }

        if (existing.LockDuration != settings.LockDuration || existing.MaxDeliveryCount != settings.MaxDeliveryCount || !existing.DeadLetteringOnMessageExpiration)
        {
            Log.ServiceBusQueueUpdated(logger, queue, existing.LockDuration, existing.MaxDeliveryCount, settings.LockDuration, settings.MaxDeliveryCount);
            existing.LockDuration = settings.LockDuration;
            existing.MaxDeliveryCount = settings.MaxDeliveryCount;
            existing.DeadLetteringOnMessageExpiration = true;
            await admin.UpdateQueueAsync(existing, cancellationToken);
        }
    }
}
