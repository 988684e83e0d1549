namespace IntegrationHub.Benchmarks;

/// <summary>
/// Dossiers per second and CPU time per dossier from intake to department queue through every flow of
/// the real host (intake in pages of 100, verification with its audit entry, routing with city codes
/// and due dates, sector delivery and status to the portal competing for the same store), on the
/// SQLite store and the named transport, the national systems answered in the hub's process. The hub
/// runs in a process of its own (one per build); on RabbitMQ the broker's CPU time is measured too, on
/// Service Bus the double's (a process of its own, started for the scenario).
/// There is no raw baseline for a whole flow: CPU time per dossier is the figure to compare by.
/// </summary>
internal sealed class EndToEndThroughput(BenchmarkSettings settings, string transport) : Scenario(settings)
{
    public override string Name => $"e2e-{transport}";

    public override string Description => $"dossiers from intake to department queue through every flow on the {transport} transport and the SQLite store, national systems stubbed in the hub's process";

    public override bool RunsSides => true;

    public override async Task<IReadOnlyList<Figure>> RunAsync()
    {
        var load = BenchmarkSettings.LoadAverage();
        await using var serviceBus = transport == "servicebus" ? await ServiceBusDoubleProcess.StartAsync() : null;
        var servers = MeasuredServers.Find(Settings, broker: transport == "rabbitmq", postgres: false, serviceBusPort: serviceBus?.Port);
        var environment = new Dictionary<string, string?>();
        if (serviceBus is not null)
        {
            environment[ServiceBusDoubleProcess.ConnectionVariable] = serviceBus.ConnectionString;
        }

        var (hub, _) = await AlternateAsync(Name, "dossiers", Settings.Dossiers, environment, servers);
        return Figures("dossiers", hub, null, null, load);
    }
}
