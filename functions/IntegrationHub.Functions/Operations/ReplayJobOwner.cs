namespace IntegrationHub.Functions.Operations;

/// <summary>This host as the holder of replay jobs' leases: another host resumes a job when its lease runs out.</summary>
internal sealed class ReplayJobOwner
{
    public string Id { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";
}
