namespace IntegrationHub.Runtime.Functions;

/// <summary>
/// A queue function: called once per message of its queue, with the message read as
/// <typeparamref name="TMessage"/> (JSON, <see cref="IntegrationHub.Schemas.HubJson.Options"/>,
/// checked against its published schema). Register it with
/// <see cref="FunctionServiceCollectionExtensions.AddQueueFunction{TMessage, TFunction}"/>.
/// Returning completes the message (unless auto-complete is off); throwing abandons it for a retry
/// after the configured delay, and past the retries dead-letters it.
/// </summary>
/// <typeparam name="TMessage">The message contract.</typeparam>
public interface IQueueFunction<in TMessage>
{
    /// <summary>Processes one message.</summary>
    Task RunAsync(TMessage message, QueueFunctionContext context, CancellationToken cancellationToken);
}
