using System.Diagnostics;
using IntegrationHub.Core.Messaging;
using IntegrationHub.Core.Routing;
using IntegrationHub.Functions.Intake;
using IntegrationHub.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Benchmarks;

/// <summary>
/// The hub's side of e2e-embedded and e2e-rabbitmq: the real host, fresh each round on a fresh SQLite
/// store, its national and sector systems answered in this process. The round hands the intake service
/// the stand-in feed's accepted dossiers in pages of 100 (as the portal timer would) and ends when every
/// dossier waits in its department's queue, having gone through verification (with its audit entry),
/// routing, sector delivery and status to the portal, which compete for the same store.
/// </summary>
internal sealed class EndToEndSide(string transport) : IHubSide
{
    private const int Page = 100;

    // How often the round looks whether every dossier has arrived: often enough to end within a few
    // per cent of a round, rarely enough that looking costs the hub next to nothing.
    private static readonly TimeSpan LookInterval = TimeSpan.FromMilliseconds(50);

    public async Task<TimeSpan> RunRoundAsync(int count, Action started, CancellationToken cancellationToken)
    {
        if (transport == "rabbitmq")
        {
            await StubbedHub.DeleteHubQueuesAsync(SideSettings.RabbitMqUri);
        }
#if HUB_SERVICEBUS
        else if (transport == "servicebus")
        {
            await StubbedHub.DeleteHubQueuesAsync(SideSettings.ServiceBusConnection!);
        }
#endif

        var database = HubSettings.NewDatabasePath();
        try
        {
            using var keys = new TestKeys();
            var settings = HubSettings.For(new Uri("http://127.0.0.1:9/"), database, keys);
            settings["Flows:PortalPollInterval"] = "01:00:00";
            settings["Flows:DeadlineCheckInterval"] = "00:05:00";
            SideSettings.Transport(settings, transport);
            settings["Logging:LogLevel:Default"] = "Warning";
            await using var hub = new StubbedHub(settings);
            _ = hub.Server;
            var services = hub.Services;
            var intake = services.GetRequiredService<IntakeService>();
            var admin = services.GetRequiredService<IQueueAdmin>();
            var departmentQueues = services.GetRequiredService<Reloadable<ReferenceData>>().Current.Routing.Versions
                .SelectMany(v => v.Departments).Select(d => d.Queue).OfType<string>().Distinct().ToList();
            var items = StubbedHub.Submissions(count, Guid.NewGuid().ToString("N")[..8], TimeProvider.System.GetUtcNow());

            started();
            var watch = Stopwatch.StartNew();
            foreach (var page in items.Chunk(Page))
            {
                await intake.AcceptAsync(page, nextCursor: null, cancellationToken);
            }

            while (await StubbedHub.DeliveredAsync(admin, departmentQueues) < count)
            {
                await Task.Delay(LookInterval, cancellationToken);
            }

            return watch.Elapsed;
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(database)!, recursive: true);
        }
    }
}
