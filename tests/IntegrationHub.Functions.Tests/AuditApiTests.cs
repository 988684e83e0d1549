using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using IntegrationHub.Core.Audit;
using IntegrationHub.Core.Messaging;
using IntegrationHub.Core.Operations;
using IntegrationHub.Functions.Audit;
using IntegrationHub.Runtime.Timers;
using IntegrationHub.Schemas;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace IntegrationHub.Functions.Tests;

/// <summary>The audit API: the chains at a glance, verification, the checkpoint export and retention, with their roles.</summary>
[Trait("Category", "Unit")]
public sealed class AuditApiTests : IDisposable
{
    // The sealer runs here only when a test runs it (SealAsync): its timer's interval is longer than the
    // minutes a test moves the clock, so that a pass the timer starts never races the test's own.
    private readonly HostFixture host = new()
    {
        Clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow()),
        Settings = { ["Audit:RetentionMinimumAge"] = "00:00:00", ["Audit:SealInterval"] = "00:05:00" },
    };

    [Fact]
    public async Task Verification_AfterEntriesWereSealed_IsIntactAndTheExportHoldsWithThePublishedKeys()
    {
        await WriteAndSealAsync(3);
        using var auditor = host.ClientWith(host.Keys.Token(["auditor"]));

        var report = (await auditor.GetFromJsonAsync<AuditVerificationReport>(new Uri("/api/audit/verification", UriKind.Relative), HubJson.Options, TestContext.Current.CancellationToken))!;
        var export = (await auditor.GetFromJsonAsync<AuditCheckpointExport>(new Uri("/api/audit/checkpoints", UriKind.Relative), HubJson.Options, TestContext.Current.CancellationToken))!;
        using var keys = AuditKeySet.FromJwks(await host.ClientWith(null).GetStringAsync(new Uri("/.well-known/audit-keys", UriKind.Relative), TestContext.Current.CancellationToken));

        Assert.True(report.Intact, report.Summary);
        Assert.Equal(3, report.Chains.Single(c => c.Chain == AuditChains.Operator).Length);
        Assert.Equal(1, report.IntactThrough?.Number);
        Assert.Equal(CheckpointExports.Format, export.Format);
        Assert.Equal(SignatureCheck.Valid, keys.Verify(Assert.Single(export.Checkpoints)));
    }

    [Fact]
    public async Task Status_ForOpsAndAuditorsOnly_SaysWhatIsSealedAndSigned()
    {
        await WriteAndSealAsync(2);
        await WriteAsync(1);

        var status = await (await host.ClientWith(host.Keys.Token(["ops"])).GetAsync(new Uri("/api/audit/status", UriKind.Relative), TestContext.Current.CancellationToken)).Content.ReadFromJsonAsync<JsonObject>(TestContext.Current.CancellationToken);
        var officer = await host.ClientWith(host.Keys.Token(["officer"])).GetAsync(new Uri("/api/audit/status", UriKind.Relative), TestContext.Current.CancellationToken);
        var opsVerifying = await host.ClientWith(host.Keys.Token(["ops"])).GetAsync(new Uri("/api/audit/verification", UriKind.Relative), TestContext.Current.CancellationToken);

        var chain = status!["chains"]!.AsArray().Single(c => (string?)c!["chain"] == AuditChains.Operator)!;
        Assert.Equal((2, 0, 1), ((int)chain["length"]!, (int)chain["afterLastCheckpoint"]!, (int)chain["unsealed"]!));
        Assert.Equal(1, (int)status["lastCheckpoint"]!["number"]!);
        Assert.Equal(HttpStatusCode.Forbidden, officer.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, opsVerifying.StatusCode);
    }

    [Fact]
    public async Task Verification_FromACheckpointThatDoesNotExist_Is400NamingFrom()
    {
        using var auditor = host.ClientWith(host.Keys.Token(["auditor"]));

        var response = await auditor.GetAsync(new Uri("/api/audit/verification?from=9", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("from", (string?)(await response.Content.ReadFromJsonAsync<JsonObject>(TestContext.Current.CancellationToken))!["errors"]![0]!["field"]);
    }

    [Fact]
    public async Task Retention_ThroughACheckpoint_DeletesWhatItCoversRecordsWhoAndWhatRemainsVerifies()
    {
        await WriteAndSealAsync(3);
        await WriteAndSealAsync(2);
        using var ops = host.ClientWith(host.Keys.Token(["ops"], subject: "op-hoa", name: "Lê Thị Hoà"));
        using var auditor = host.ClientWith(host.Keys.Token(["auditor"]));

        var retained = await ops.PostAsJsonAsync(new Uri("/api/audit/retentions", UriKind.Relative), new { throughCheckpoint = 1, comment = "Hết thời hạn lưu trữ" }, TestContext.Current.CancellationToken);
        var again = await ops.PostAsJsonAsync(new Uri("/api/audit/retentions", UriKind.Relative), new { throughCheckpoint = 1, comment = "Lần nữa" }, TestContext.Current.CancellationToken);
        var unknown = await ops.PostAsJsonAsync(new Uri("/api/audit/retentions", UriKind.Relative), new { throughCheckpoint = 40, comment = "Không có" }, TestContext.Current.CancellationToken);
        await SealAsync();
        var report = (await auditor.GetFromJsonAsync<AuditVerificationReport>(new Uri("/api/audit/verification", UriKind.Relative), HubJson.Options, TestContext.Current.CancellationToken))!;
        var log = await auditor.GetFromJsonAsync<JsonObject>(new Uri("/api/ops/audit?action=auditRetention", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, retained.StatusCode);
        Assert.Equal(3, (int)(await retained.Content.ReadFromJsonAsync<JsonObject>(TestContext.Current.CancellationToken))!["entries"]!);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.True(report.Intact, report.Summary);
        Assert.Equal(1, report.RetainedThrough?.Number);
        Assert.Equal(4, report.Chains.Single(c => c.Chain == AuditChains.Operator).FirstPosition);
        Assert.Equal("op-hoa", (string?)Assert.Single(log!["entries"]!.AsArray())!["actor"]);
    }

    [Fact]
    public async Task Retention_OfACheckpointYoungerThanTheMinimumAge_Is409AndDeletesNothing()
    {
        using var strict = new HostFixture { Clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow()), Settings = { ["Audit:SealInterval"] = "00:05:00" } };
        await WriteAndSealAsync(strict, 2);

        var response = await strict.ClientWith(strict.Keys.Token(["ops"])).PostAsJsonAsync(new Uri("/api/audit/retentions", UriKind.Relative), new { throughCheckpoint = 1, comment = "Quá sớm" }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("Audit:RetentionMinimumAge", (string?)(await response.Content.ReadFromJsonAsync<JsonObject>(TestContext.Current.CancellationToken))!["detail"], StringComparison.Ordinal);
    }

    public void Dispose() => host.Dispose();

    private Task WriteAndSealAsync(int actions) => WriteAndSealAsync(host, actions);

    private static async Task WriteAndSealAsync(HostFixture on, int actions)
    {
        await WriteAsync(on, actions);
        await SealAsync(on);
    }

    private Task WriteAsync(int actions) => WriteAsync(host, actions);

    private static async Task WriteAsync(HostFixture on, int actions)
    {
        _ = on.CreateClient();
        var transactions = on.Services.GetRequiredService<IHubTransactions>();
        var log = on.Services.GetRequiredService<IOperatorAuditLog>();
        for (var i = 0; i < actions; i++)
        {
            await using var transaction = await transactions.BeginAsync(CancellationToken.None);
            await log.AppendAsync(transaction, new OperatorAction
            {
                At = on.Clock!.GetUtcNow(), Actor = "ops-01", ActorName = "Trần Thị Hoa", Action = OperatorActions.Replay, Queue = "route", Comment = $"Gửi lại {i}",
            }, CancellationToken.None);
            await transaction.CommitAsync(CancellationToken.None);
        }
    }

    private Task SealAsync() => SealAsync(host);

    /// <summary>One run of the sealer's timer function, as the timer runs it, a minute on (a checkpoint is due after two seconds in the test settings).</summary>
    private static async Task SealAsync(HostFixture on)
    {
        on.Clock!.Advance(TimeSpan.FromMinutes(1));
        await using var scope = on.Services.CreateAsyncScope();
        var sealer = scope.ServiceProvider.GetRequiredService<SealAuditChainsOnTimer>();
        await sealer.RunAsync(new TimerFunctionContext(SealAuditChainsOnTimer.Name, on.Clock.GetUtcNow(), null), CancellationToken.None);
    }
}
