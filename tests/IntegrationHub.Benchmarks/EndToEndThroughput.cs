extern alias functions;

using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using IntegrationHub.Connectors.Portal;
using IntegrationHub.Core.Gateways;
using IntegrationHub.Core.Messaging;
using IntegrationHub.Core.Routing;
using IntegrationHub.Functions.Flows;
using IntegrationHub.Functions.Intake;
using IntegrationHub.Schemas;
using IntegrationHub.Testing;
using IntegrationHub.Testing.WireMock;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using RabbitMQ.Client;

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
            await DeleteHubQueuesAsync();
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
        var items = Submissions(count);

        var watch = Stopwatch.StartNew();
        foreach (var page in items.Chunk(Page))
        {
            await intake.AcceptAsync(page, nextCursor: null, CancellationToken.None);
        }

        while (await DeliveredAsync(admin, departmentQueues) < count)
        {
            await Task.Delay(20);
        }

        return watch.Elapsed;
    }

    private static async Task<long> DeliveredAsync(IQueueAdmin admin, IReadOnlyList<string> queues)
    {
        long total = 0;
        foreach (var queue in queues)
        {
            total += (await admin.GetStatisticsAsync(queue, CancellationToken.None)).ActiveMessageCount;
        }

        return total;
    }

    /// <summary>
    /// The stand-in feed's accepted dossiers, over and over under new codes and submitted now (as new
    /// submissions are), read as the portal sends them.
    /// </summary>
    private static List<PortalSubmission> Submissions(int count)
    {
        var good = StandIns.Expected.Where(e => e.Expect == "accepted").Select(e => StandIns.Submissions[e.FeedPosition - 1]).ToList();
        var run = Guid.NewGuid().ToString("N")[..8];
        var now = Core.VietnamTime.ToLocal(TimeProvider.System.GetUtcNow()).ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
        return [.. Enumerable.Range(0, count).Select(i =>
        {
            var dossier = good[i % good.Count].DeepClone().AsObject();
            dossier["MaHoSo"] = string.Create(CultureInfo.InvariantCulture, $"BENCH-{run}-{i:D6}");
            dossier["NgayNopHoSo"] = now;
            using var document = JsonDocument.Parse(dossier.ToJsonString());
            return PortalSubmissions.Read(document.RootElement.Clone());
        })];
    }

    private async Task DeleteHubQueuesAsync()
    {
        var queues = HubQueues.All.Concat(ReferenceDataFiles.Default.Routing.Versions.SelectMany(v => v.Departments).Select(d => d.Queue).OfType<string>()).Distinct();
        await using var connection = await new ConnectionFactory { Uri = Settings.RabbitMqUri }.CreateConnectionAsync();
        foreach (var queue in queues.SelectMany(q => new[] { q, QueueNames.DeadLetterOf(q) }))
        {
            await using var channel = await connection.CreateChannelAsync();
            await channel.QueueDeleteAsync(queue);
        }
    }

    /// <summary>The real host with the national and sector systems answered in-process.</summary>
    private sealed class StubbedHub(IReadOnlyDictionary<string, string?> settings) : WebApplicationFactory<functions::Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Benchmark");
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }

            builder.ConfigureTestServices(services =>
            {
                services.AddSingleton<IPortalGateway, Stubs>();
                services.AddSingleton<IPopulationRegistry, Stubs>();
                services.AddSingleton<ISectorGateways, Stubs>();
            });
        }
    }

    private sealed class Stubs : IPortalGateway, IPopulationRegistry, ISectorGateways, ISectorGateway
    {
        public string System => "stub";

        public Task<SubmissionPage> ListSubmissionsAsync(string? cursor, int pageSize, CancellationToken cancellationToken) => Task.FromResult(new SubmissionPage([], cursor, false));

        public Task<PortalSyncOutcome> SyncDossierAsync(SyncPortalStatus change, CancellationToken cancellationToken) => Task.FromResult(PortalSyncOutcome.Inserted);

        public Task PushProgressAsync(string portalCode, IReadOnlyList<ProgressRecord> records, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<PortalDossierView?> LookupAsync(string portalCode, CancellationToken cancellationToken) => Task.FromResult<PortalDossierView?>(null);

        public Task<IReadOnlyList<PortalProcedure>> ListProceduresAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<PortalProcedure>>([]);

        public Task<IdentityMatch> VerifyAsync(IdentityQuery query, IReadOnlySet<PrefillField> wanted, CancellationToken cancellationToken) =>
            Task.FromResult(new IdentityMatch(IdentityOutcome.Match, [], new IdentityPrefill { FullName = query.FullName }));

        public ISectorGateway? For(string system) => this;

        public Task<SectorReceipt> DeliverAsync(DossierRouted dossier, CancellationToken cancellationToken) =>
            Task.FromResult(new SectorReceipt(System, "R-" + dossier.CityCode, TimeProvider.System.GetUtcNow()));

        public Task<SectorStatus?> GetStatusAsync(string receiptId, CancellationToken cancellationToken) => Task.FromResult<SectorStatus?>(null);
    }
}
