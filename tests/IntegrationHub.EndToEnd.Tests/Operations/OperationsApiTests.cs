using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using IntegrationHub.Core.Messaging;
using IntegrationHub.StandIns;
using Microsoft.Data.Sqlite;

namespace IntegrationHub.EndToEnd.Tests.Operations;

/// <summary>
/// The operations API on a hub whose sample feed has come to rest: what failed and why, one dead
/// letter with its dossier, dry runs, throttled and cancelled replay jobs, corrections, roles,
/// problems that name the field, the audit log, and health. Tests that replay use dead letters of a
/// queue of their own, so that they leave the feed's alone.
/// </summary>
[Trait("Category", "Operations")]
[Collection(EndToEnd.Collection)]
public sealed class OperationsApiTests(SettledHubFixture fixture) : IClassFixture<SettledHubFixture>
{
    private static readonly TimeSpan JobTimeout = TimeSpan.FromSeconds(60);
    private readonly InProcessHub hub = fixture.Hub;
    private readonly TestKeys keys = fixture.Keys;

    [Fact]
    public async Task ListDeadLetters_SampleFeed_GroupsTheFeedsFailuresByQueueAndReason()
    {
        using var ops = Ops.Operator(hub, keys);
        var unknown = StandInData.Expected.Single(e => e.Expect == "deadLetter" && e.Stage == "routing" && e.ProcedureCode == "1.999999");

        var all = await ops.GetFromJsonAsync<JsonObject>(Ops.Path("/api/ops/dead-letters?queue=route"), TestContext.Current.CancellationToken);
        var intake = await ops.GetFromJsonAsync<JsonObject>(Ops.Path("/api/ops/dead-letters?queue=intake"), TestContext.Current.CancellationToken);
        var byText = await ops.GetFromJsonAsync<JsonObject>(Ops.Path("/api/ops/dead-letters?text=1.999999"), TestContext.Current.CancellationToken);
        var byDossier = await ops.GetFromJsonAsync<JsonObject>(Ops.Path($"/api/ops/dead-letters?text={unknown.PortalCode}"), TestContext.Current.CancellationToken);

        var routeGroup = Assert.Single(all!["groups"]!.AsArray());
        Assert.Equal("RoutingFailed", (string?)routeGroup!["reason"]);
        Assert.Equal(2, (int)routeGroup["count"]!);
        Assert.Equal(5, (int)intake!["count"]!);
        Assert.Equal(4, intake["groups"]!.AsArray().Where(g => (string?)g!["reason"] == "UnreadableSubmission").Sum(g => (int)g!["count"]!));
        Assert.Equal(1, intake["groups"]!.AsArray().Where(g => (string?)g!["reason"] == "ConflictingDuplicate").Sum(g => (int)g!["count"]!));
        Assert.Equal([$"route:{unknown.PortalCode}"], byText!["deadLetters"]!.AsArray().Select(l => (string)l!["messageId"]!));
        Assert.Contains(byDossier!["deadLetters"]!.AsArray(), l => (string?)l!["correlationId"] == unknown.PortalCode && (string?)l["queue"] == "route");
        Assert.All(all["deadLetters"]!.AsArray(), l => Assert.EndsWith("+07:00", (string)l!["deadLetteredAt"]!, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReadDeadLetter_RoutingFailure_ShowsItsBodyReasonAndTheDossiersTimeline()
    {
        using var ops = Ops.Operator(hub, keys);
        var unknown = StandInData.Expected.Single(e => e.Expect == "deadLetter" && e.Stage == "routing" && e.ProcedureCode == "2.000002");

        var letter = await ops.GetFromJsonAsync<JsonObject>(Ops.Path($"/api/ops/dead-letters/route/route:{unknown.PortalCode}"), TestContext.Current.CancellationToken);
        var missing = await ops.GetAsync(Ops.Path("/api/ops/dead-letters/route/route:G22.99-000000-000000"), TestContext.Current.CancellationToken);

        Assert.Equal("RoutingFailed", (string?)letter!["deadLetter"]!["reason"]);
        Assert.Contains("2.000002", (string)letter["deadLetter"]!["description"]!, StringComparison.Ordinal);
        Assert.Equal("2.000002", (string?)letter["body"]!["submission"]!["procedureCode"]);
        Assert.Equal("route", (string?)letter["replayTo"]);
        Assert.Equal("deadLettered", (string?)letter["dossier"]!["stage"]);
        var steps = letter["timeline"]!.AsArray().Select(s => (string)s!["action"]!).ToList();
        Assert.StartsWith("Nhận hồ sơ", steps[0], StringComparison.Ordinal);
        Assert.Contains(steps, s => s.StartsWith("Chưa thể chuyển hồ sơ", StringComparison.Ordinal) && s.Contains("2.000002", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task DryRun_FilterOnReason_ListsWhatWouldGoWhereMovesNothingAndIsAudited()
    {
        var queue = await Ops.SeedDeadLettersAsync(hub, 3);
        using var ops = Ops.Operator(hub, keys);

        var response = await ops.PostAsJsonAsync(Ops.Path("/api/ops/replays"), new { queue, filter = new { reason = "MaxDeliveryCountExceeded" }, dryRun = true, comment = "Xem trước trước khi gửi lại" }, TestContext.Current.CancellationToken);
        var plan = await Ops.JsonAsync(response);
        var audit = await ops.GetFromJsonAsync<JsonObject>(Ops.Path($"/api/ops/audit?queue={queue}"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, (int)plan["count"]!);
        Assert.All(plan["deadLetters"]!.AsArray(), l =>
        {
            Assert.Equal(QueueNames.DeadLetterOf(queue), (string?)l!["from"]);
            Assert.Equal(queue, (string?)l["to"]);
            Assert.Equal("TimeoutException", (string?)l["letter"]!["exceptionType"]);
        });
        Assert.Empty(await Ops.PeekAsync(hub, queue));
        Assert.Equal(3, (await Ops.PeekAsync(hub, QueueNames.DeadLetterOf(queue))).Count);
        var entry = Assert.Single(audit!["entries"]!.AsArray());
        Assert.Equal("dryRun", (string?)entry!["action"]);
        Assert.Equal("op-hoa", (string?)entry["actor"]);
        Assert.Equal(Ops.OperatorName, (string?)entry["actorName"]);
        Assert.Equal("Xem trước trước khi gửi lại", (string?)entry["comment"]);
        Assert.Equal(3, (int)entry["detail"]!["count"]!);
    }

    [Fact]
    public async Task ReplayJob_Throttled_RateOverTheJobStaysWithinMaxPerSecondAndEachMessageArrivesOnceWithItsId()
    {
        const int Count = 12;
        const int MaxPerSecond = 5;
        var queue = await Ops.SeedDeadLettersAsync(hub, Count);
        using var ops = Ops.Operator(hub, keys);

        var started = await ops.PostAsJsonAsync(Ops.Path("/api/ops/replays"), new { queue, filter = new { }, maxPerSecond = MaxPerSecond, comment = "Hệ thống ngành đã hoạt động lại" }, TestContext.Current.CancellationToken);
        var job = await Ops.JsonAsync(started);
        var done = await Ops.WaitForJobAsync(ops, (string)job["id"]!, JobTimeout);
        var arrived = await Ops.PeekAsync(hub, queue);
        var audit = await ops.GetFromJsonAsync<JsonObject>(Ops.Path($"/api/ops/audit?jobId={job["id"]}"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        Assert.Equal($"/api/ops/replays/{job["id"]}", started.Headers.Location?.ToString());
        Assert.Equal("completed", (string?)done["job"]!["status"]);
        Assert.Equal(Count, (int)done["job"]!["replayed"]!);
        var tried = done["items"]!.AsArray().Select(i => DateTimeOffset.Parse((string)i!["triedAt"]!, System.Globalization.CultureInfo.InvariantCulture)).Order().ToList();
        var rate = (Count - 1) / (tried[^1] - tried[0]).TotalSeconds;
        Assert.True(rate <= MaxPerSecond, $"{rate:0.00} replays per second over the job, more than {MaxPerSecond}");
        Assert.Equal(Enumerable.Range(0, Count).Select(i => $"{queue}:{i}").Order(), arrived.Select(m => m.MessageId).Order());
        Assert.All(arrived, m => Assert.Null(m.DeadLetterReason));
        Assert.Empty(await Ops.PeekAsync(hub, QueueNames.DeadLetterOf(queue)));
        var entry = Assert.Single(audit!["entries"]!.AsArray());
        Assert.Equal("replay", (string?)entry!["action"]);
        Assert.Equal(Count, (int)entry["detail"]!["count"]!);
    }

    [Fact]
    public async Task CancelJob_WhileItRuns_StopsItLeavesTheRestAsDeadLettersAndASecondCancelIsRefused()
    {
        var queue = await Ops.SeedDeadLettersAsync(hub, 10);
        using var ops = Ops.Operator(hub, keys);
        var job = await Ops.JsonAsync(await ops.PostAsJsonAsync(Ops.Path("/api/ops/replays"), new { queue, filter = new { }, maxPerSecond = 1, comment = "Gửi lại từ từ" }, TestContext.Current.CancellationToken));
        var id = (string)job["id"]!;
        await Eventually.HoldsAsync(async () => (await Ops.PeekAsync(hub, queue)).Count >= 2, JobTimeout, () => "nothing was replayed");

        // At one a second, the cancel has eight seconds to arrive before the job would have finished.
        var cancelled = await ops.PostAsJsonAsync(Ops.Path($"/api/ops/replays/{id}/cancel"), new { comment = "Hệ thống ngành lại lỗi" }, TestContext.Current.CancellationToken);
        var stopped = await Ops.WaitForJobAsync(ops, id, JobTimeout);
        // A replay under way when the cancel came is finished and recorded: wait until the record and the queues agree.
        await Eventually.HoldsAsync(
            async () => (int)(stopped = (await ops.GetFromJsonAsync<JsonObject>(Ops.Path($"/api/ops/replays/{id}")))!)["job"]!["replayed"]! == (await Ops.PeekAsync(hub, queue)).Count,
            JobTimeout,
            () => $"the job says {stopped["job"]!["replayed"]} replayed");
        var again = await ops.PostAsJsonAsync(Ops.Path($"/api/ops/replays/{id}/cancel"), new { comment = "lần nữa" }, TestContext.Current.CancellationToken);
        var replayed = (int)stopped["job"]!["replayed"]!;

        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        Assert.Equal("cancelled", (string?)stopped["job"]!["status"]);
        Assert.Equal("op-hoa", (string?)stopped["job"]!["cancelledBy"]);
        Assert.InRange(replayed, 2, 9);
        Assert.Equal(10 - replayed, (int)stopped["job"]!["pending"]!);
        Assert.Equal(10 - replayed, (await Ops.PeekAsync(hub, QueueNames.DeadLetterOf(queue))).Count);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("/problems/replay-job-finished", (string?)(await Ops.JsonAsync(again))["type"]);
        var actions = (await ops.GetFromJsonAsync<JsonObject>(Ops.Path($"/api/ops/audit?jobId={id}"), TestContext.Current.CancellationToken))!["entries"]!.AsArray().Select(e => (string)e!["action"]!);
        Assert.Equal(["cancelJob", "replay"], actions);
    }

    [Fact]
    public async Task EditAndReplay_CorrectedBody_ArrivesUnderItsIdAndTheChangeIsRecordedWithItsAuthor()
    {
        var queue = await Ops.SeedDeadLettersAsync(hub, 2);
        using var ops = Ops.Operator(hub, keys);
        var corrected = new { n = 1, note = "Hồ sơ số 1 (đã sửa)", department = "STP" };

        var preview = await ops.PostAsJsonAsync(Ops.Path($"/api/ops/dead-letters/{queue}/{queue}:1/edit"), new { body = corrected, dryRun = true, comment = "Xem trước" }, TestContext.Current.CancellationToken);
        var untouched = await Ops.PeekAsync(hub, queue);
        var edited = await ops.PostAsJsonAsync(Ops.Path($"/api/ops/dead-letters/{queue}/{queue}:1/edit"), new { body = corrected, comment = "Sửa ghi chú theo xác nhận của Sở Tư pháp" }, TestContext.Current.CancellationToken);
        var arrived = Assert.Single(await Ops.PeekAsync(hub, queue));
        var audit = await ops.GetFromJsonAsync<JsonObject>(Ops.Path($"/api/ops/audit?messageId={queue}:1"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        Assert.Empty(untouched);
        Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
        Assert.Equal($"{queue}:1", arrived.MessageId);
        Assert.Equal("TEST-1", arrived.CorrelationId);
        Assert.Equal("Hồ sơ số 1 (đã sửa)", (string?)JsonNode.Parse(arrived.Body.Span)!["note"]);
        Assert.Equal("STP", (string?)JsonNode.Parse(arrived.Body.Span)!["department"]);
        var entries = audit!["entries"]!.AsArray();
        Assert.Equal(["editAndReplay", "editDryRun"], entries.Select(e => (string)e!["action"]!));
        var entry = entries[0]!;
        Assert.Equal("op-hoa", (string?)entry["actor"]);
        Assert.Equal(Ops.OperatorName, (string?)entry["actorName"]);
        Assert.Equal(Ops.OperatorUnit, (string?)entry["unit"]);
        Assert.Equal("Sửa ghi chú theo xác nhận của Sở Tư pháp", (string?)entry["comment"]);
        var changes = entry["detail"]!["changes"]!.AsArray();
        Assert.Contains(changes, c => (string?)c!["path"] == "$.note" && (string?)c["before"] == "Hồ sơ số 1" && (string?)c["after"] == "Hồ sơ số 1 (đã sửa)");
        Assert.Contains(changes, c => (string?)c!["path"] == "$.department" && c["before"] is null && (string?)c["after"] == "STP");
        Assert.Equal(2, changes.Count);
    }

    [Fact]
    public async Task EditAndReplay_BodyItsContractRefuses_IsRefusedNamingTheFieldAndNothingMoves()
    {
        var unknown = StandInData.Expected.Single(e => e.Expect == "deadLetter" && e.Stage == "routing" && e.ProcedureCode == "2.000002");
        using var ops = Ops.Operator(hub, keys);
        var letter = await ops.GetFromJsonAsync<JsonObject>(Ops.Path($"/api/ops/dead-letters/route/route:{unknown.PortalCode}"), TestContext.Current.CancellationToken);
        var body = letter!["body"]!.AsObject().DeepClone().AsObject();
        body["submission"]!.AsObject().Remove("procedureCode");

        var refused = await ops.PostAsJsonAsync(Ops.Path($"/api/ops/dead-letters/route/route:{unknown.PortalCode}/edit"), new { body, comment = "Thử bỏ mã thủ tục" }, TestContext.Current.CancellationToken);
        var problem = await Ops.JsonAsync(refused);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("/problems/validation-failed", (string?)problem["type"]);
        Assert.Contains("procedureCode", (string)problem["errors"]![0]!["field"]!, StringComparison.Ordinal);
        Assert.Contains((await fixture.Probe.DeadLettersAsync("route")), l => l.MessageId == $"route:{unknown.PortalCode}");
    }

    [Fact]
    public async Task StartReplay_BadRequests_AnswerProblemsThatNameTheField()
    {
        using var ops = Ops.Operator(hub, keys);
        var queue = await Ops.SeedDeadLettersAsync(hub, 1);

        var noComment = await Ops.JsonAsync(await ops.PostAsJsonAsync(Ops.Path("/api/ops/replays"), new { queue, filter = new { } }, TestContext.Current.CancellationToken));
        var both = await Ops.JsonAsync(await ops.PostAsJsonAsync(Ops.Path("/api/ops/replays"), new { queue, messageIds = new[] { $"{queue}:0" }, filter = new { }, comment = "x" }, TestContext.Current.CancellationToken));
        var neither = await Ops.JsonAsync(await ops.PostAsJsonAsync(Ops.Path("/api/ops/replays"), new { queue, comment = "x" }, TestContext.Current.CancellationToken));
        var rate = await Ops.JsonAsync(await ops.PostAsJsonAsync(Ops.Path("/api/ops/replays"), new { queue, filter = new { }, maxPerSecond = 0, comment = "x" }, TestContext.Current.CancellationToken));
        var noQueue = await Ops.JsonAsync(await ops.PostAsJsonAsync(Ops.Path("/api/ops/replays"), new { queue = "no-such-queue", filter = new { }, comment = "x" }, TestContext.Current.CancellationToken));
        var missing = await ops.PostAsJsonAsync(Ops.Path("/api/ops/replays"), new { queue, messageIds = new[] { $"{queue}:0", $"{queue}:9" }, comment = "x" }, TestContext.Current.CancellationToken);

        Assert.Equal(("/problems/validation-failed", "comment"), Problem(noComment));
        Assert.Equal(("/problems/validation-failed", "filter"), Problem(both));
        Assert.Equal(("/problems/validation-failed", "messageIds"), Problem(neither));
        Assert.Equal(("/problems/validation-failed", "maxPerSecond"), Problem(rate));
        Assert.Equal(("/problems/not-found", "queue"), Problem(noQueue));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal([$"{queue}:9"], (await Ops.JsonAsync(missing))["missing"]!.AsArray().Select(m => (string)m!));
        Assert.Single(await Ops.PeekAsync(hub, QueueNames.DeadLetterOf(queue)));
    }

    [Fact]
    public async Task Calls_WithoutTheOpsRole_AreRefusedNamingTheRoleButAuditorsReadTheAuditLog()
    {
        using var officer = hub.ClientWith(keys.Token(["officer"]));
        using var auditor = hub.ClientWith(keys.Token(["auditor"], subject: "kiem-toan"));
        using var anonymous = hub.CreateClient();

        var listed = await officer.GetAsync(Ops.Path("/api/ops/dead-letters"), TestContext.Current.CancellationToken);
        var replayed = await auditor.PostAsJsonAsync(Ops.Path("/api/ops/replays"), new { queue = "route", filter = new { }, comment = "x" }, TestContext.Current.CancellationToken);
        var audited = await auditor.GetAsync(Ops.Path("/api/ops/audit"), TestContext.Current.CancellationToken);
        var unauthenticated = await anonymous.GetAsync(Ops.Path("/api/ops/queues"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Forbidden, listed.StatusCode);
        Assert.Equal("ops", (string?)(await Ops.JsonAsync(listed))["requiredRole"]);
        Assert.Equal(HttpStatusCode.Forbidden, replayed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, audited.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unauthenticated.StatusCode);
        Assert.Equal(2, (await fixture.Probe.DeadLettersAsync("route")).Count);
    }

    [Fact]
    public async Task AuditLog_InTheStore_RefusesToChangeOrRemoveAnEntry()
    {
        var queue = await Ops.SeedDeadLettersAsync(hub, 1);
        using var ops = Ops.Operator(hub, keys);
        await ops.PostAsJsonAsync(Ops.Path("/api/ops/replays"), new { queue, filter = new { }, dryRun = true, comment = "Bản ghi không được sửa" }, TestContext.Current.CancellationToken);

        var change = await Assert.ThrowsAsync<SqliteException>(() => ExecuteAsync("UPDATE hub_ops_audit SET comment = 'changed'"));
        var remove = await Assert.ThrowsAsync<SqliteException>(() => ExecuteAsync("DELETE FROM hub_ops_audit"));
        var entries = (await ops.GetFromJsonAsync<JsonObject>(Ops.Path($"/api/ops/audit?queue={queue}"), TestContext.Current.CancellationToken))!["entries"]!.AsArray();

        Assert.Contains("append-only", change.Message, StringComparison.Ordinal);
        Assert.Contains("append-only", remove.Message, StringComparison.Ordinal);
        Assert.Equal("Bản ghi không được sửa", (string?)Assert.Single(entries)!["comment"]);
    }

    [Fact]
    public async Task Overview_SampleFeed_ShowsQueuesFailuresDeadlineRiskAndCircuits()
    {
        using var ops = Ops.Operator(hub, keys);

        var overview = await ops.GetFromJsonAsync<JsonObject>(Ops.Path("/api/ops/overview"), TestContext.Current.CancellationToken);
        var queues = await ops.GetFromJsonAsync<JsonObject>(Ops.Path("/api/ops/queues"), TestContext.Current.CancellationToken);
        var connectors = await ops.GetFromJsonAsync<JsonObject>(Ops.Path("/api/ops/connectors"), TestContext.Current.CancellationToken);

        var route = overview!["queues"]!.AsArray().Single(q => (string?)q!["name"] == "route")!;
        Assert.Equal(2, (int)route["deadLettered"]!);
        Assert.Contains(queues!["queues"]!.AsArray(), q => (string?)q!["kind"] == "department" && (string?)q["department"] == "STP");
        Assert.True((int)overview["deadLetters"]!["count"]! >= 7);
        // The feed's dossiers were received in 2024 and 2025: by now every routed one is overdue.
        Assert.True((int)overview["deadlines"]!["overdue"]! > 0);
        Assert.Equal(["business", "land", "population", "portal"], connectors!["connectors"]!.AsArray().Select(c => (string)c!["system"]!).Order());
        Assert.All(connectors["connectors"]!.AsArray(), c => Assert.Equal("closed", (string?)c!["state"]));
    }

    [Fact]
    public async Task Health_LiveAndReady_AnswerWithoutATokenAndSayNothingSensitive()
    {
        using var anonymous = hub.CreateClient();

        var live = await anonymous.GetAsync(Ops.Path("/health/live"), TestContext.Current.CancellationToken);
        var ready = await anonymous.GetAsync(Ops.Path("/health/ready"), TestContext.Current.CancellationToken);
        var text = await ready.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var checks = JsonNode.Parse(text)!["checks"]!.AsObject();
        Assert.Equal(["connectors", "keys", "store", "transport"], checks.Select(c => c.Key).Order());
        Assert.All(checks, c => Assert.True((bool)c.Value!["ready"]!));
        Assert.DoesNotContain("hub.db", text, StringComparison.Ordinal);
        Assert.DoesNotContain("127.0.0.1", text, StringComparison.Ordinal);
    }

    private static (string?, string?) Problem(JsonObject problem) => ((string?)problem["type"], (string?)problem["errors"]?[0]?["field"]);

    private async Task ExecuteAsync(string sql)
    {
        await using var transaction = await hub.Get<IHubTransactions>().BeginAsync(CancellationToken.None);
        await using (var command = hub.Get<Runtime.Store.OpenTransactions>().CreateCommand(transaction, sql))
        {
            await command.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync(CancellationToken.None);
    }
}
