using System.Collections.Concurrent;
using Azure.Identity;
using Azure.Messaging.ServiceBus;
using Azure.Messaging.ServiceBus.Administration;
using IntegrationHub.Core.Messaging;
using IntegrationHub.Runtime.Functions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Runtime.ServiceBus;

/// <summary>
/// The process's one <see cref="ServiceBusClient"/> and one <see cref="ServiceBusAdministrationClient"/>
/// (from the connection string, or the namespace and <c>DefaultAzureCredential</c>), made when first
/// needed, with a sender cached per queue and receivers cached per queue and purpose:
/// <list type="bullet">
/// <item>the function's receiver of a queue, whose prefetch is the function's calls plus its prefetch
/// (see <see cref="ServiceBusReceiverControl"/>);</item>
/// <item>a receiver without prefetch, for pulls, peeks and for settling a lock token this process did
/// not receive (the SDK then settles through the queue's <c>$management</c> node): a prefetching link
/// opened only to settle would take messages nobody reads;</item>
/// <item>a dead-letter queue's receiver, without prefetch.</item>
/// </list>
/// </summary>
internal sealed class ServiceBusClients(
    IOptions<MessagingOptions> options,
    IOptions<ServiceBusHostOptions> host,
    HubInstance instance,
    ILogger<ServiceBusClients> logger) : IAsyncDisposable
{
    // One credential for both clients, so that they share its tokens.
    private readonly Lazy<DefaultAzureCredential> credential = new(() => new DefaultAzureCredential(new DefaultAzureCredentialOptions
    {
        ManagedIdentityClientId = string.IsNullOrWhiteSpace(options.Value.ServiceBus.ManagedIdentityClientId) ? null : options.Value.ServiceBus.ManagedIdentityClientId,
    }));

    private readonly ConcurrentDictionary<string, ServiceBusSender> senders = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Queue, bool Prefetching), ServiceBusReceiver> receivers = new();
    private readonly ConcurrentDictionary<string, int> prefetch = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<ServiceBusReceiver, ReceiverUse> uses = new(ReferenceEqualityComparer.Instance);

    private ServiceBusClient? client;
    private ServiceBusAdministrationClient? admin;

    public ServiceBusClient Client => LazyInitializer.EnsureInitialized(ref client, () => CreateClient(options.Value.ServiceBus, host.Value.ClientRetryOptions, instance.Id));

    public ServiceBusAdministrationClient Admin => LazyInitializer.EnsureInitialized(ref admin, () => CreateAdmin(options.Value.ServiceBus));

    /// <summary>The namespace's host name, for logs (never the key).</summary>
    public string Namespace => Client.FullyQualifiedNamespace;

    /// <summary>The sender of a queue (a dead-letter queue cannot be sent to).</summary>
    public ServiceBusSender Sender(string queue) => senders.GetOrAdd(queue, q => Client.CreateSender(q));

    /// <summary>
    /// The receiver the queue's function receives with (the prefetch its function set); a dead-letter
    /// queue's receiver for <c>&lt;queue&gt;/$deadletterqueue</c>.
    /// </summary>
    public ServiceBusReceiver Receiver(string queue) =>
        QueueNames.IsDeadLetter(queue) ? Settler(queue) : receivers.GetOrAdd((queue, true), key =>
        {
            var receiver = CreateReceiver(key.Queue, prefetch.GetValueOrDefault(key.Queue));
            uses[receiver] = new ReceiverUse();
            return receiver;
        });

    /// <summary>The queue's receiver without prefetch: pulls, peeks, scans, and lock tokens received elsewhere.</summary>
    public ServiceBusReceiver Settler(string queue) => receivers.GetOrAdd((queue, false), key => CreateReceiver(key.Queue, 0));

    /// <summary>The function receiver's prefetch; it applies from the receiver's first use (the function sets it before it receives).</summary>
    public void SetPrefetch(string queue, int count) => prefetch[queue] = count;

    /// <summary>
    /// Whether a call may be made on <paramref name="receiver"/>'s link: not for a receiver closed or
    /// closing. A function receiver's call counts as in flight until <see cref="Release"/>.
    /// </summary>
    public bool TryUse(ServiceBusReceiver receiver) =>
        uses.TryGetValue(receiver, out var use) ? use.TryEnter() : !receiver.IsClosed;

    /// <summary>Ends a call <see cref="TryUse"/> let through.</summary>
    public void Release(ServiceBusReceiver receiver)
    {
        if (uses.TryGetValue(receiver, out var use))
        {
            use.Exit();
        }
    }

    /// <summary>
    /// Closes the function's receiver of the queue, so that the namespace delivers nothing more to this
    /// process. Calls already on its link (a completion as a function finishes, a lock renewal) are
    /// waited for first: closing a link under a settlement loses it (the SDK reports the lock lost
    /// whether or not the namespace took it), and the message would come back when its lock ran out.
    /// Calls after this go through the queue's settling receiver.
    /// </summary>
    public async Task CloseReceiverAsync(string queue, CancellationToken cancellationToken)
    {
        if (receivers.TryRemove((queue, true), out var receiver))
        {
            if (uses.TryGetValue(receiver, out var use))
            {
                await use.ClosingAsync().WaitAsync(cancellationToken);
            }

            await receiver.CloseAsync(cancellationToken);
            uses.TryRemove(receiver, out _);
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Closing the client closes every sender and receiver made from it.
        if (Volatile.Read(ref client) is { } made)
        {
            await made.DisposeAsync();
        }
    }

    private ServiceBusReceiver CreateReceiver(string queue, int prefetchCount)
    {
        var deadLetters = QueueNames.IsDeadLetter(queue);
        Log.ServiceBusReceiverOpened(logger, queue, prefetchCount);
        return Client.CreateReceiver(QueueNames.SourceOf(queue), new ServiceBusReceiverOptions
        {
            ReceiveMode = ServiceBusReceiveMode.PeekLock,
            PrefetchCount = prefetchCount,
            SubQueue = deadLetters ? SubQueue.DeadLetter : SubQueue.None,
        });
    }

    private ServiceBusClient CreateClient(ServiceBusOptions settings, ClientRetryHostOptions retry, string instance)
    {
        var clientOptions = new ServiceBusClientOptions
        {
            Identifier = $"integration-hub-{instance}",
            RetryOptions = new ServiceBusRetryOptions
            {
                Mode = retry.Mode.Equals("fixed", StringComparison.OrdinalIgnoreCase) ? ServiceBusRetryMode.Fixed : ServiceBusRetryMode.Exponential,
                TryTimeout = retry.TryTimeout,
                Delay = retry.Delay,
                MaxDelay = retry.MaxDelay,
                MaxRetries = retry.MaxRetries,
            },
        };
        return settings.ConnectionString is { Length: > 0 } connectionString
            ? new ServiceBusClient(connectionString, clientOptions)
            : new ServiceBusClient(settings.Namespace, credential.Value, clientOptions);
    }

    private ServiceBusAdministrationClient CreateAdmin(ServiceBusOptions settings) =>
        settings.ConnectionString is { Length: > 0 } connectionString
            ? new ServiceBusAdministrationClient(connectionString)
            : new ServiceBusAdministrationClient(settings.Namespace, credential.Value);
}
