using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using IntegrationHub.Core;
using IntegrationHub.Core.Store;
using IntegrationHub.Schemas;
using IntegrationHub.StandIns;

namespace IntegrationHub.EndToEnd.Tests;

/// <summary>
/// What must come of a portal stand-in's feed (by default the sample, mocks/data/submissions.expected.json),
/// checked against what the hub did: its records and dead letters, what each department pulls from its
/// queue, and what the portal and the sector systems were told.
/// </summary>
public static class FeedReconciliation
{
    /// <summary>Waits until every item of the feed has come to rest in the hub.</summary>
    public static Task WaitUntilSettledAsync(HubProbe probe, TimeSpan timeout, IReadOnlyList<ExpectedSubmission>? feed = null) => Eventually.HoldsAsync(
        async () => (await UnsettledAsync(probe, feed ?? StandInData.Expected)).Count == 0,
        timeout,
        () => "still moving: " + string.Join(", ", UnsettledAsync(probe, feed ?? StandInData.Expected).GetAwaiter().GetResult().Take(10)));

    /// <summary>
    /// Checks every item against the manifest and that the counts reconcile:
    /// received = delivered + rejected + dead-lettered + duplicates. After a crash a sector system may
    /// be sent a dossier again, under the same idempotency key (<paramref name="crashed"/>). The
    /// departments pull what was routed to them (<see cref="PullEveryDepartmentAsync"/>) unless
    /// <paramref name="delivered"/> says what they pulled.
    /// </summary>
    public static async Task AssertAsync(HubProbe probe, Func<string, HttpClient> clientFor, TestKeys keys, Func<IReadOnlyList<LoggedRequest>> portalRequests, Func<IReadOnlyList<LoggedRequest>> sectorRequests, string cityAgencyCode = HubSettings.CityAgencyCode, int pullWaitSeconds = 0, bool crashed = false, IReadOnlyList<ExpectedSubmission>? feed = null, IReadOnlyList<(string Queue, DossierRouted Dossier)>? delivered = null)
    {
        var expected = feed ?? StandInData.Expected;
        var pulled = delivered ?? await PullEveryDepartmentAsync(clientFor, keys, pullWaitSeconds);
        var syncs = portalRequests().Where(r => r.Path.EndsWith("/DongBoHoSoMC", StringComparison.Ordinal))
            .SelectMany(r => r.Json()["data"]!.AsArray().Select(d => (Code: (string)d!["MaHoSo"]!, Status: (string)d["TrangThaiHoSo"]!, Note: (string?)d["GhiChu"])))
            .ToList();
        var deliveries = sectorRequests().Where(r => r.Path.EndsWith("/TiepNhanHoSo", StringComparison.Ordinal)).Select(r => r.Header("Idempotency-Key")).ToList();
        var intakeLetters = await probe.DeadLettersAsync("intake");
        var routeLetters = await probe.DeadLettersAsync("route");
        var calendar = ReferenceDataFiles.Default;

        foreach (var item in expected)
        {
            var code = item.PortalCode!;
            var statuses = syncs.Where(s => s.Code == code).Select(s => s.Status).Distinct().ToList();
            var dossier = await probe.DossierAsync(code);
            switch (item.Expect)
            {
                case "accepted":
                    Assert.True(dossier is { Stage: DossierStage.Routed }, $"{code} should be routed, is {dossier?.Stage}");
                    Assert.Equal(item.Department, dossier!.DepartmentCode);
                    Assert.Equal(item.ReceivingBranch, dossier.ReceivingBranch);
                    Assert.Equal(item.SectorSystem, dossier.SectorSystem);
                    Assert.Equal(item.RoutingTableVersion, dossier.RoutingVersion);
                    var receivedAt = item.ReceivedAt!.Value;
                    Assert.Equal(receivedAt, dossier.ReceivedAt);
                    Assert.Matches($"^{cityAgencyCode.Replace(".", "\\.", StringComparison.Ordinal)}-{VietnamTime.DateOf(receivedAt):yyMMdd}-[0-9]{{4}}$", dossier.CityCode);
                    var procedure = calendar.Procedures.Find(item.ProcedureCode!)!;
                    Assert.Equal(calendar.Calendar.DueDate(receivedAt, procedure.Resolution), dossier.Progress!.DueAt);
                    Assert.Equal([item.Queue!], pulled.Where(p => p.Dossier.PortalCode == code).Select(p => p.Queue).ToList());
                    Assert.Equal(dossier.CityCode, pulled.Single(p => p.Dossier.PortalCode == code).Dossier.CityCode);
                    Assert.Contains("2", statuses);
                    Assert.DoesNotContain("3", statuses);
                    // Once, or (after a crash between the delivery and its record) again under the same idempotency key.
                    var sent = deliveries.Count(k => k == dossier.CityCode);
                    Assert.True(dossier.SectorSystem is null ? sent == 0 : sent == 1 || (crashed && sent > 1), $"{code}: {sent} deliveries to its sector system");
                    break;
                case "rejected":
                    Assert.True(dossier is { Stage: DossierStage.Rejected }, $"{code} should be rejected, is {dossier?.Stage}");
                    Assert.Equal(["3"], statuses);
                    Assert.All(syncs.Where(s => s.Code == code), s => Assert.False(string.IsNullOrWhiteSpace(s.Note), $"{code}: status 3 without a reason"));
                    Assert.DoesNotContain(pulled, p => p.Dossier.PortalCode == code);
                    break;
                case "deadLetter" when item.Stage == "routing":
                    var routeLetter = Assert.Single(routeLetters, l => l.MessageId == $"route:{code}");
                    Assert.Equal("RoutingFailed", routeLetter.Reason);
                    Assert.Contains(item.ProcedureCode!, routeLetter.Description, StringComparison.Ordinal);
                    Assert.Equal(DossierStage.DeadLettered, dossier?.Stage);
                    Assert.Empty(statuses);
                    break;
                case "deadLetter" when item.Reason == "conflictingDuplicate":
                    var conflict = Assert.Single(intakeLetters, l => l.MessageId.StartsWith($"intake-conflict:{code}:", StringComparison.Ordinal));
                    Assert.Equal("ConflictingDuplicate", conflict.Reason);
                    break;
                case "deadLetter":
                    var unreadable = Assert.Single(intakeLetters, l => l.MessageId == $"intake-unreadable:{code}");
                    Assert.Equal("UnreadableSubmission", unreadable.Reason);
                    Assert.All(item.Fields, field => Assert.Contains(field, unreadable.Description, StringComparison.Ordinal));
                    Assert.Null(dossier);
                    break;
                case "duplicate":
                    Assert.NotNull(dossier);
                    break;
                default:
                    Assert.Fail($"Unknown expectation '{item.Expect}' for {code}.");
                    break;
            }
        }

        // received = delivered + rejected + dead-lettered + duplicates, from what the hub did.
        var deliveredOnce = pulled.Select(p => p.Dossier.PortalCode).Distinct().Count();
        var rejected = expected.Where(e => e.Expect == "rejected").Count(e => probe.DossierAsync(e.PortalCode!).GetAwaiter().GetResult()?.Stage == DossierStage.Rejected);
        var deadLettered = intakeLetters.Count + routeLetters.Count;
        var duplicates = expected.Count(e => e.Expect == "duplicate");
        Assert.Equal(pulled.Count, deliveredOnce);
        Assert.Equal(expected.Count, deliveredOnce + rejected + deadLettered + duplicates);
        Assert.Equal(expected.Count(e => e.Expect == "accepted"), deliveredOnce);
    }

    /// <summary>Every department pulls everything in its queue, as a department's system would.</summary>
    public static async Task<IReadOnlyList<(string Queue, DossierRouted Dossier)>> PullEveryDepartmentAsync(Func<string, HttpClient> clientFor, TestKeys keys, int waitSeconds)
    {
        ArgumentNullException.ThrowIfNull(clientFor);
        ArgumentNullException.ThrowIfNull(keys);
        var pulled = new List<(string, DossierRouted)>();
        var departments = ReferenceDataFiles.Default.Routing.Versions.SelectMany(v => v.Departments).Where(d => d.Queue is not null).GroupBy(d => d.Code).Select(g => g.Last());
        foreach (var department in departments)
        {
            using var client = clientFor(keys.Token([$"department:{department.Code}"], subject: $"{department.Code.ToLowerInvariant()}-system"));
            while (true)
            {
                var page = await client.GetFromJsonAsync<JsonObject>(new Uri($"/api/departments/{department.Code}/dossiers?max=20&wait={waitSeconds}", UriKind.Relative));
                var dossiers = page!["dossiers"]!.AsArray();
                pulled.AddRange(dossiers.Select(d => (department.Queue!, d!["dossier"].Deserialize<DossierRouted>(HubJson.Options)!)));
                if (dossiers.Count == 0)
                {
                    break;
                }
            }
        }

        return pulled;
    }

    private static async Task<IReadOnlyList<string>> UnsettledAsync(HubProbe probe, IReadOnlyList<ExpectedSubmission> expected)
    {
        var intake = (await probe.DeadLettersAsync("intake")).Select(l => l.MessageId).ToList();
        var route = (await probe.DeadLettersAsync("route")).Select(l => l.MessageId).ToList();
        var unsettled = new List<string>();
        foreach (var item in expected)
        {
            var code = item.PortalCode!;
            var settled = item.Expect switch
            {
                "accepted" => await probe.DossierAsync(code) is { Stage: DossierStage.Routed, PortalSyncedAt: not null } d && (d.SectorSystem is null || d.SectorReceiptId is not null),
                "rejected" => await probe.DossierAsync(code) is { Stage: DossierStage.Rejected, PortalSyncedAt: not null },
                "deadLetter" when item.Stage == "routing" => route.Contains($"route:{code}"),
                "deadLetter" when item.Reason == "conflictingDuplicate" => intake.Any(id => id.StartsWith($"intake-conflict:{code}:", StringComparison.Ordinal)),
                "deadLetter" => intake.Contains($"intake-unreadable:{code}"),
                _ => await probe.DossierAsync(code) is not null,
            };
            if (!settled)
            {
                unsettled.Add($"{item.FeedPosition}:{code}");
            }
        }

        return unsettled;
    }
}
