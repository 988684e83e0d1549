using System.Collections.Concurrent;

namespace IntegrationHub.Functions.Flows;

/// <summary>
/// Declares the hub's queues and every department queue of the routing table at start, so that a
/// department can pull before its first dossier arrives; a department added by a reload gets its
/// queue when its first dossier is routed (<see cref="EnsureAsync"/>).
/// </summary>
internal sealed class QueueDeclarations(IQueueAdmin queues, Reloadable<ReferenceData> referenceData) : IHostedService
{
    private readonly ConcurrentDictionary<string, bool> declared = new(StringComparer.Ordinal);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var departments = referenceData.Current.Routing.Versions.SelectMany(v => v.Departments).Select(d => d.Queue).OfType<string>();
        foreach (var queue in HubQueues.All.Concat(departments).Distinct(StringComparer.Ordinal))
        {
            await EnsureAsync(queue, cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Declares the queue unless this process has declared it already.</summary>
    public async Task EnsureAsync(string queue, CancellationToken cancellationToken)
    {
        if (!declared.ContainsKey(queue))
        {
            await queues.EnsureQueueAsync(queue, cancellationToken);
            declared[queue] = true;
        }
    }
}
