using IntegrationHub.Core.Messaging;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Runtime.Functions;

/// <summary>A queue function as registered: its name, queue, overrides, and how to run it on a message.</summary>
internal sealed record QueueFunctionRegistration(string Name, string Queue, QueueFunctionOptions Overrides, IFunctionInvoker Invoker);

/// <summary>Reads a message as the function's contract and runs the function in its own DI scope.</summary>
internal interface IFunctionInvoker
{
    /// <summary>Gets ready before the first message (loads the message's schema).</summary>
    void Prepare();

    /// <summary>Null when the message was read and the function ran; otherwise why the body was refused.</summary>
    Task<(string Reason, string Description)?> InvokeAsync(IServiceProvider services, ReceivedMessage message, QueueFunctionContext context, CancellationToken cancellationToken);
}

internal sealed class FunctionInvoker<TMessage, TFunction>(MessageReader reader) : IFunctionInvoker
    where TFunction : class, IQueueFunction<TMessage>
{
    public void Prepare() => reader.Prepare<TMessage>();

    public async Task<(string Reason, string Description)?> InvokeAsync(IServiceProvider services, ReceivedMessage message, QueueFunctionContext context, CancellationToken cancellationToken)
    {
        var read = reader.Read<TMessage>(message);
        if (!read.Succeeded)
        {
            return (read.Reason!, read.Description!);
        }

        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<TFunction>().RunAsync(read.Value!, context, cancellationToken);
        return null;
    }
}
