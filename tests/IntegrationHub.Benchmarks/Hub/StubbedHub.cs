extern alias functions;

using System.Globalization;
using System.Text.Json;
using IntegrationHub.Connectors.Portal;
using IntegrationHub.Core.Gateways;
using IntegrationHub.Core.Messaging;
using IntegrationHub.Functions.Flows;
using IntegrationHub.Schemas;
using IntegrationHub.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using RabbitMQ.Client;
#if HUB_STAND_IN_DATA
using StandInFeed = IntegrationHub.Testing.StandInData;
#else
using StandInFeed = IntegrationHub.Testing.WireMock.StandIns;
#endif

namespace IntegrationHub.Benchmarks;

/// <summary>
/// The real host with the national and sector systems answered in-process, so that the hub is what is
/// measured. Its portal lists <paramref name="feed"/> (none by default) from when
/// <paramref name="goFile"/> exists: as far as the number the file holds, or the whole feed when it is empty.
/// </summary>
internal sealed class StubbedHub(IReadOnlyDictionary<string, string?> settings, IReadOnlyList<PortalSubmission>? feed = null, string? goFile = null)
    : WebApplicationFactory<functions::Program>
{
    /// <summary>
    /// The stand-in feed's accepted dossiers, over and over under new codes (<paramref name="run"/> keeps
    /// runs apart) and submitted at <paramref name="submittedAt"/>, read as the portal sends them: the
    /// same list in every process given the same arguments.
    /// </summary>
    public static List<PortalSubmission> Submissions(int count, string run, DateTimeOffset submittedAt)
    {
        var good = StandInFeed.Expected.Where(e => e.Expect == "accepted").Select(e => StandInFeed.Submissions[e.FeedPosition - 1]).ToList();
        var at = Core.VietnamTime.ToLocal(submittedAt).ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
        return [.. Enumerable.Range(0, count).Select(i =>
        {
            var dossier = good[i % good.Count].DeepClone().AsObject();
            dossier["MaHoSo"] = string.Create(CultureInfo.InvariantCulture, $"BENCH-{run}-{i:D6}");
            dossier["NgayNopHoSo"] = at;
            using var document = JsonDocument.Parse(dossier.ToJsonString());
            return PortalSubmissions.Read(document.RootElement.Clone());
        })];
    }

    /// <summary>Dossiers waiting in the department queues (nobody pulls them during a benchmark).</summary>
    public static async Task<long> DeliveredAsync(IQueueAdmin admin, IReadOnlyList<string> queues)
    {
        long total = 0;
        foreach (var queue in queues)
        {
            total += (await admin.GetStatisticsAsync(queue, CancellationToken.None)).ActiveMessageCount;
        }

        return total;
    }

    /// <summary>The broker outlives runs: start from empty hub and department queues.</summary>
    public static async Task DeleteHubQueuesAsync(Uri broker)
    {
        var queues = HubQueues.All.Concat(DepartmentQueues()).Distinct();
        await using var connection = await new ConnectionFactory { Uri = broker }.CreateConnectionAsync();
        foreach (var queue in queues.SelectMany(q => new[] { q, QueueNames.DeadLetterOf(q) }))
        {
            await using var channel = await connection.CreateChannelAsync();
            await channel.QueueDeleteAsync(queue);
        }
    }

#if HUB_SERVICEBUS
    /// <summary>Deletes the hub's and the departments' queues in the Service Bus namespace, so that a round starts from empty ones.</summary>
    public static async Task DeleteHubQueuesAsync(string serviceBusConnection)
    {
        var admin = new Azure.Messaging.ServiceBus.Administration.ServiceBusAdministrationClient(serviceBusConnection);
        foreach (var queue in HubQueues.All.Concat(DepartmentQueues()).Distinct())
        {
            if ((await admin.QueueExistsAsync(queue)).Value)
            {
                await admin.DeleteQueueAsync(queue);
            }
        }
    }
#endif

    public static List<string> DepartmentQueues() =>
        ReferenceDataFiles.Default.Routing.Versions.SelectMany(v => v.Departments).Select(d => d.Queue).OfType<string>().Distinct().ToList();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Benchmark");
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            var stubs = new Stubs(feed ?? [], goFile);
            services.AddSingleton<IPortalGateway>(stubs);
            services.AddSingleton<IPopulationRegistry>(stubs);
            services.AddSingleton<ISectorGateways>(stubs);
        });
    }

    private sealed class Stubs(IReadOnlyList<PortalSubmission> feed, string? goFile) : IPortalGateway, IPopulationRegistry, ISectorGateways, ISectorGateway
    {
        public string System => "stub";

        public Task<SubmissionPage> ListSubmissionsAsync(string? cursor, int pageSize, CancellationToken cancellationToken)
        {
            var from = cursor is null ? 0 : int.Parse(cursor, CultureInfo.InvariantCulture);
            if (goFile is null || !File.Exists(goFile))
            {
                return Task.FromResult(new SubmissionPage([], cursor, false));
            }

            var listed = File.ReadAllText(goFile).Trim() is { Length: > 0 } text ? Math.Min(int.Parse(text, CultureInfo.InvariantCulture), feed.Count) : feed.Count;
            var page = feed.Skip(from).Take(Math.Min(pageSize, Math.Max(listed - from, 0))).ToList();
            var next = from + page.Count;
            return Task.FromResult(new SubmissionPage(page, next.ToString(CultureInfo.InvariantCulture), next < listed));
        }

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
