using System.Collections.Concurrent;
using IntegrationHub.Runtime.Functions;
using IntegrationHub.Schemas;

namespace IntegrationHub.Runtime.Tests.Fakes;

/// <summary>A message contract of the tests' own (it has no published schema).</summary>
public sealed record Order(int Number);

/// <summary>What the test functions were called with, and what they do when called.</summary>
public sealed class Probe
{
    private int running;
    private int maxRunning;

    public ConcurrentQueue<(string MessageId, int DeliveryCount)> Calls { get; } = new();

    public Func<QueueFunctionContext, CancellationToken, Task> Behaviour { get; set; } = (_, _) => Task.CompletedTask;

    public int MaxRunning => Volatile.Read(ref maxRunning);

    public int Running => Volatile.Read(ref running);

    public async Task RunAsync(QueueFunctionContext context, CancellationToken cancellationToken)
    {
        Calls.Enqueue((context.MessageId, context.DeliveryCount));
        var now = Interlocked.Increment(ref running);
        InterlockedMax(ref maxRunning, now);
        try
        {
            await Behaviour(context, cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref running);
        }
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}

public sealed class ProcessOrderOnQueue(Probe probe) : IQueueFunction<Order>
{
    public Task RunAsync(Order message, QueueFunctionContext context, CancellationToken cancellationToken) => probe.RunAsync(context, cancellationToken);
}

public sealed class RecordStatusOnQueue(Probe probe) : IQueueFunction<DepartmentStatusReport>
{
    public Task RunAsync(DepartmentStatusReport message, QueueFunctionContext context, CancellationToken cancellationToken) => probe.RunAsync(context, cancellationToken);
}
