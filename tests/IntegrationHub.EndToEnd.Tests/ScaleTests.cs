using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using IntegrationHub.Core.Messaging;
using IntegrationHub.Core.Store;
using IntegrationHub.Functions.Flows;
using IntegrationHub.Schemas;
using IntegrationHub.StandIns;

namespace IntegrationHub.EndToEnd.Tests;

/// <summary>
/// Three hub processes on one RabbitMQ broker and one PostgreSQL store take the portal stand-in's bulk
/// feed of 1,000 submissions; one is killed (SIGKILL) mid-run and another restarted. Every good
/// dossier reaches its department once, departments pulling through one instance and acknowledging
/// through another; the counts reconcile; city codes are unique; and no timer ran on two instances at
/// once.
/// </summary>
[Trait("Category", "Scale")]
[Collection(EndToEnd.Collection)]
public sealed class ScaleTests(StandInsFixture standIns, RabbitMqBroker broker, PostgresServer postgres)
    : IClassFixture<StandInsFixture>, IAsyncLifetime
{
    private static readonly IReadOnlyList<ExpectedSubmission> Feed = StandInData.BulkExpected;
    private static readonly TimeSpan LockDuration = TimeSpan.FromSeconds(10);
    private string store = "";

    public async ValueTask InitializeAsync()
    {
        store = await postgres.CreateStoreAsync();
        await broker.DeleteQueuesAsync(HubQueueNames());
    }

    public async ValueTask DisposeAsync() => await postgres.DropStoreAsync(store);

    [Fact]
    public async Task BulkFeed_ThreeInstancesOneKilledAndOneRestarted_EveryDossierDeliveredOnceTimersNeverOverlapAndEveryChainIntact()
    {
        using var keys = new TestKeys();
        var cityAgency = HubSettings.UniqueAgencyCode();
        var settings = EndToEnd.Settings(standIns.Url, keys, portalAgencyCode: StandInData.BulkAgencyCode);
        settings["DossierCodes:AgencyCode"] = cityAgency;
        settings["Messaging:Store"] = "postgres";
        settings["Messaging:PostgreSql:ConnectionString"] = store;
        settings["Messaging:Transport"] = "rabbitmq";
        settings["Messaging:RabbitMq:Uri"] = broker.Uri.ToString();
        // What the killed instance held comes back within seconds: its locks, its timers' leases.
        settings["Messaging:LockDuration"] = LockDuration.ToString();
        settings["Messaging:TimerLeaseDuration"] = "00:00:10";
        settings["Flows:PortalPageSize"] = "100";
        settings["Flows:PortalPagesPerRun"] = "2";
        settings["Logging:LogLevel:Default"] = "Warning";
        // The feed stops after 600 of its 1000 items until the kill, so that the kill lands before its
        // end however fast the machine is.
        using var hold = FeedHold.At(standIns.Server, StandInData.BulkAgencyCode, "^[6-9]00$");
        var hubs = Enumerable.Range(0, 3).Select(_ => new ChildProcessHub(settings)).ToList();
        try
        {
            await Task.WhenAll(hubs.Select(h => h.StartAsync()));
            await using var probe = HubProbe.OnDatabase(settings);
            var accepted = Feed.Count(e => e.Expect == "accepted");
            await Eventually.HoldsAsync(async () => await RoutedAsync(probe) >= accepted / 3, TimeSpan.FromMinutes(2), () => $"a third was not routed:\n{hubs[0].Output}");

            hubs[0].Kill();
            var killedAt = TimeProvider.System.GetUtcNow();
            var routedAtKill = await RoutedAsync(probe);
            hold.Release();
            await hubs[1].StopAsync(TimeSpan.FromSeconds(30));
            await hubs[1].StartAsync();
            await FeedReconciliation.WaitUntilSettledAsync(probe, TimeSpan.FromMinutes(3), Feed);
            await Eventually.HoldsAsync(async () => await probe.ScalarAsync("SELECT COUNT(*) FROM hub_outbox") == 0, TimeSpan.FromSeconds(30), () => "the outbox was not relayed");
            var delivered = await PullAndAcknowledgeAsync(hubs[1], hubs[2], keys);

            Assert.InRange(routedAtKill, accepted / 3, accepted - 1);
            await FeedReconciliation.AssertAsync(
                probe,
                hubs[2].ClientWith,
                keys,
                () => standIns.Server.Requests(r => r.BodyProperty("madonvi") == StandInData.BulkAgencyCode),
                () => standIns.Server.Requests(r => r.Header("Idempotency-Key")?.StartsWith($"{cityAgency}-", StringComparison.Ordinal) == true),
                cityAgency,
                crashed: true,
                feed: Feed,
                delivered: delivered);
            Assert.Equal(await probe.ScalarAsync("SELECT COUNT(*) FROM hub_dossiers WHERE city_code IS NOT NULL"), await probe.ScalarAsync("SELECT COUNT(DISTINCT city_code) FROM hub_dossiers"));
            await AssertTimersRanOneInstanceAtATimeAsync(probe, killedAt);
            await AuditChecks.AssertSealedAndIntactAsync(probe, settings, TimeSpan.FromMinutes(1));
        }
        finally
        {
            hubs.ForEach(h => h.Dispose());
        }
    }

    private static Task<long> RoutedAsync(HubProbe probe) => probe.ScalarAsync($"SELECT COUNT(*) FROM hub_dossiers WHERE stage = '{nameof(DossierStage.Routed)}'");

    /// <summary>
    /// Each department pulls everything in its queue through one instance and acknowledges each dossier
    /// through the other, as departments behind a load balancer do; then nothing is left in its queue.
    /// </summary>
    private static async Task<IReadOnlyList<(string Queue, DossierRouted Dossier)>> PullAndAcknowledgeAsync(ChildProcessHub pullThrough, ChildProcessHub acknowledgeThrough, TestKeys keys)
    {
        var delivered = new List<(string, DossierRouted)>();
        foreach (var department in ReferenceDataFiles.Default.Routing.Versions.SelectMany(v => v.Departments).Where(d => d.Queue is not null).GroupBy(d => d.Code).Select(g => g.Last()))
        {
            var token = keys.Token([$"department:{department.Code}"], subject: $"{department.Code.ToLowerInvariant()}-system");
            using var pulls = pullThrough.ClientWith(token);
            using var acknowledgements = acknowledgeThrough.ClientWith(token);
            while (true)
            {
                var page = await pulls.GetFromJsonAsync<JsonObject>(new Uri($"/api/departments/{department.Code}/dossiers?max=50&wait=0", UriKind.Relative));
                var dossiers = page!["dossiers"]!.AsArray();
                if (dossiers.Count == 0)
                {
                    break;
                }

                foreach (var pulled in dossiers)
                {
                    var dossier = pulled!["dossier"].Deserialize<DossierRouted>(HubJson.Options)!;
                    var lockToken = (string)pulled["lockToken"]!;
                    using var acknowledged = await acknowledgements.PostAsJsonAsync(
                        new Uri($"/api/departments/{department.Code}/dossiers/{dossier.CityCode}/acknowledgement", UriKind.Relative),
                        new DossierAcknowledgement { LockToken = lockToken },
                        HubJson.Options);
                    Assert.True(acknowledged.StatusCode == HttpStatusCode.NoContent, $"{dossier.CityCode}: the acknowledgement through the other instance got {(int)acknowledged.StatusCode}: {await acknowledged.Content.ReadAsStringAsync()}");
                    delivered.Add((department.Queue!, dossier));
                }
            }
        }

        return delivered;
    }

    /// <summary>Each timer's runs, in order of start: none began before the previous one ended, or, when its instance died, before its lease ran out.</summary>
    private static async Task AssertTimersRanOneInstanceAtATimeAsync(HubProbe probe, DateTimeOffset killedAt)
    {
        var runs = (await probe.RowsAsync("SELECT name, instance, started_at, COALESCE(finished_at, lease_until) FROM hub_timer_runs ORDER BY name, started_at, id"))
            .Select(r => (Name: (string)r[0]!, Instance: (string)r[1]!, Start: Convert.ToInt64(r[2], System.Globalization.CultureInfo.InvariantCulture), End: Convert.ToInt64(r[3], System.Globalization.CultureInfo.InvariantCulture)))
            .ToList();
        foreach (var timer in runs.GroupBy(r => r.Name))
        {
            var ordered = timer.ToList();
            foreach (var (previous, next) in ordered.Zip(ordered.Skip(1)))
            {
                Assert.True(next.Start >= previous.End, $"{timer.Key}: a run on {next.Instance} began {previous.End - next.Start} ms before the run on {previous.Instance} ended");
            }
        }

        // The portal was still read after the instance died, by the others.
        Assert.Contains(runs, r => r.Name == Functions.Intake.SyncPortalOnTimer.Name && r.Start > killedAt.ToUnixTimeMilliseconds());
    }

    private static IEnumerable<string> HubQueueNames() =>
        HubQueues.All.Concat(ReferenceDataFiles.Default.Routing.Versions.SelectMany(v => v.Departments).Select(d => d.Queue).OfType<string>()).Distinct();
}
