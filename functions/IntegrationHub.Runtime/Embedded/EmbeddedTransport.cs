using IntegrationHub.Runtime.Queues;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace IntegrationHub.Runtime.Embedded;

/// <summary>The embedded transport: queues as rows of the SQLite hub database.</summary>
internal static class EmbeddedTransport
{
    public static IServiceCollection AddEmbeddedTransport(this IServiceCollection services)
    {
        services.TryAddSingleton<EmbeddedLocks>();
        services.TryAddSingleton<EmbeddedCompletions>();
        return services.AddQueueTransport<EmbeddedSender, EmbeddedReceiver, EmbeddedSettlement, EmbeddedDeadLetterReplay, EmbeddedAdmin, EmbeddedSharedLockReceiver, EmbeddedOutgoing>(
            MessagingOptions.Embedded);
    }
}
