using Azure.Messaging.ServiceBus;
using IntegrationHub.Core.Messaging;

namespace IntegrationHub.Runtime.ServiceBus;

/// <summary>The namespace's refusals as the queue port names them; other failures (the namespace unreachable, busy) stay as they are.</summary>
internal static class ServiceBusErrors
{
    /// <summary>The port's exception for a refusal of an operation on <paramref name="queue"/>; null for a failure that is not one.</summary>
    public static QueueException? Translate(ServiceBusException exception, string queue, string? lockToken = null) => exception.Reason switch
    {
        ServiceBusFailureReason.MessagingEntityNotFound => new QueueNotFoundException(queue),
        ServiceBusFailureReason.MessageLockLost or ServiceBusFailureReason.MessageNotFound when lockToken is not null => new MessageLockLostException(queue, lockToken),
        _ => null,
    };

    /// <summary>Runs <paramref name="call"/>, throwing the port's exception for a refusal.</summary>
    public static async Task Refusing(string queue, string? lockToken, Func<Task> call)
    {
        try
        {
            await call();
        }
        catch (ServiceBusException ex) when (Translate(ex, queue, lockToken) is { } refusal)
        {
            throw refusal;
        }
    }

    /// <summary>Runs <paramref name="call"/>, throwing the port's exception for a refusal.</summary>
    public static async Task<T> Refusing<T>(string queue, string? lockToken, Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (ServiceBusException ex) when (Translate(ex, queue, lockToken) is { } refusal)
        {
            throw refusal;
        }
    }
}
