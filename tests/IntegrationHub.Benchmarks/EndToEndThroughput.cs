using System.Diagnostics;
using System.Globalization;
using IntegrationHub.Core.Messaging;
using IntegrationHub.Core.Routing;
using IntegrationHub.Functions.Intake;
using IntegrationHub.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Benchmarks;

/// <summary>
/// Dossiers per second from intake to department queue through every flow of the real host: intake
/// (pages of 100), verification, routing with city codes and due dates, and, competing for the same
/// store, sector delivery and status back to the portal. The national systems answer from stubs in
/// this process, so that the hub is what is measured.
/// </summary>
internal sealed class EndToEndThroughput(BenchmarkSettings settings, string transport) : Scenario(settings)
{
    private const int Page = 100;

    public override string Name => $"e2e-{transport}";

    public override string Description => $"dossiers/s from intake to department queue through every flow on the {transport} transport, national systems stubbed in-process";

    public override async Task<string> RunAsync()
    {
        var dossiers = Settings.Quick ? 2_000 : 6_000;
        await RunOnceAsync(dossiers / 2);
        var rates = new List<double>();
        for (var round = 1; round <= Settings.Rounds; round++)
        {
            var elapsed = await RunOnceAsync(dossiers);
            rates.Add(dossiers / elapsed.TotalSeconds);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  hub round {round}: {dossiers} dossiers in {elapsed.TotalSeconds:0.00} s = {rates[^1]:0}/s (load {BenchmarkSettings.LoadAverage()})"));
        }

        return string.Create(CultureInfo.InvariantCulture, $"RESULT {Name} hub={Median(rates):0}/s dossiers={dossiers} target=1000/s");
    }

    private async Task<TimeSpan> RunOnceAsync(int count)
    {
        if (transport == "rabbitmq")
        {
            await StubbedHub.DeleteHubQueuesAsync(Settings.RabbitMqUri);
        }

        using var keys = new TestKeys();
        var settings = HubSettings.For(new Uri("http://127.0.0.1:9/"), HubSettings.NewDatabasePath(), keys);
        settings["Flows:PortalPollInterval"] = "01:00:00";
        settings["Flows:DeadlineCheckInterval"] = "00:05:00";
        settings["Messaging:Transport"] = transport;
        settings["Messaging:RabbitMq:Uri"] = Settings.RabbitMqUri.ToString();
        settings["Logging:LogLevel:Default"] = "Warning";
        await using var hub = new StubbedHub(settings);
        _ = hub.Server;
        var services = hub.Services;
        var intake = services.GetRequiredService<IntakeService>();
        var admin = services.GetRequiredService<IQueueAdmin>();
        var departmentQueues = services.GetRequiredService<Reloadable<ReferenceData>>().Current.Routing.Versions
            .SelectMany(v => v.Departments).Select(d => d.Queue).OfType<string>().Distinct().ToList();
        var items = StubbedHub.Submissions(count, Guid.NewGuid().ToString("N")[..8], TimeProvider.System.GetUtcNow());

        var watch = Stopwatch.StartNew();
        foreach (var page in items.Chunk(Page))
        {
            await intake.AcceptAsync(page, nextCursor: null, CancellationToken.None);
        }

        while (await StubbedHub.DeliveredAsync(admin, departmentQueues) < count)
        {
            await Task.Delay(20);
        }

        return watch.Elapsed;
    }
}
