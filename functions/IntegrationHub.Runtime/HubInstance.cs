namespace IntegrationHub.Runtime;

/// <summary>
/// This hub instance (one process): its id names it where instances share the store, as the holder of
/// a timer's lease and in the record of the timer runs.
/// </summary>
internal sealed class HubInstance
{
    public string Id { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..6]}";
}
