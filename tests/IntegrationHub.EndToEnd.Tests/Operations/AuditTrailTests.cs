using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using IntegrationHub.Functions.Cli;
using IntegrationHub.Schemas;
using IntegrationHub.StandIns;
using Microsoft.Data.Sqlite;

namespace IntegrationHub.EndToEnd.Tests.Operations;

/// <summary>
/// The audit chains of a whole hub: the sample feed, officers' identity checks and an operator's
/// replays written, sealed and signed as the hub runs; verified intact through the API and through
/// the command line (the store read directly, the keys from the well-known endpoint, an exported
/// checkpoint file checked); then one timeline row changed in the database, and the command line
/// names it and exits 1.
/// </summary>
[Trait("Category", "Operations")]
[Collection(EndToEnd.Collection)]
public sealed class AuditTrailTests(StandInsFixture standIns) : IClassFixture<StandInsFixture>, IDisposable
{
    private readonly string export = Path.Combine(Path.GetTempPath(), $"hub-checkpoints-{Guid.NewGuid():N}.json");

    [Fact]
    public async Task SampleFeedIdentityChecksAndReplays_Untouched_VerifyIntactThenAChangedRowIsNamed()
    {
        await using var test = TestHub.OnLoopback(standIns.Server);
        await FeedReconciliation.WaitUntilSettledAsync(test.Probe, TimeSpan.FromMinutes(3));
        await CheckIdentitiesAsync(test);
        await ReplayAsync(test);

        var sealedReport = await AuditChecks.AssertSealedAndIntactAsync(test.Probe, test.Settings, TimeSpan.FromMinutes(1));
        using var auditor = test.Hub.ClientWith(test.Keys.Token(["auditor"], subject: "kiemtoan01"));
        var api = (await auditor.GetFromJsonAsync<AuditVerificationReport>(Ops.Path("/api/audit/verification"), HubJson.Options, TestContext.Current.CancellationToken))!;
        var (exportCode, _, _) = await RunAsync(test, "audit", "export", "--out", export);
        var (code, output, _) = await RunAsync(test, "audit", "verify", "--checkpoints", export);

        Assert.True(api.Intact, api.Summary);
        Assert.True(api.Entries >= sealedReport.Entries);
        Assert.Contains(api.Chains, c => c.Chain == "identity" && c.Length >= 2 * 5);
        Assert.Contains(api.Chains, c => c.Chain == "operator" && c.Length >= 2);
        Assert.Equal(0, exportCode);
        Assert.Equal(0, code);
        Assert.Contains("entries in 3 chains, intact up to checkpoint", output, StringComparison.Ordinal);

        var position = await TamperAsync(test);
        var (brokenCode, broken, _) = await RunAsync(test, "audit", "verify", "--checkpoints", export);
        var forbidden = await test.Hub.ClientWith(test.Keys.Token(["ops"])).GetAsync(Ops.Path("/api/audit/verification"), TestContext.Current.CancellationToken);

        Assert.Equal(1, brokenCode);
        Assert.Contains($"NOT INTACT: dossier timelines, chain timeline, position {position}: the entry timeline.step", broken, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
    }

    [Fact]
    public async Task Verify_KeysMissingOrNotTheHubs_ExitsTwoThenOneNamingTheKey()
    {
        await using var test = TestHub.OnLoopback(standIns.Server);
        await AuditChecks.AssertSealedAndIntactAsync(test.Probe, test.Settings, TimeSpan.FromMinutes(3));
        var keys = Path.Combine(Path.GetTempPath(), $"hub-keys-{Guid.NewGuid():N}.json");
        using var stranger = IntegrationHub.Core.Audit.AuditSigningKey.Create();
        using (var set = new IntegrationHub.Core.Audit.AuditKeySet([stranger.PublicKey()]))
        {
            await File.WriteAllTextAsync(keys, System.Text.Json.JsonSerializer.Serialize(set.Document(), HubJson.Options), TestContext.Current.CancellationToken);
        }

        var (unreadable, _, unreadableError) = await RunAsync(test, "audit", "verify", "--keys", keys + ".missing");
        var (foreign, foreignOutput, _) = await RunAsync(test, "audit", "verify", "--keys", keys);
        File.Delete(keys);

        Assert.Equal(2, unreadable);
        Assert.Contains("Cannot verify", unreadableError, StringComparison.Ordinal);
        Assert.Equal(1, foreign);
        Assert.Contains("not a published audit key", foreignOutput, StringComparison.Ordinal);
    }

    public void Dispose() => File.Delete(export);

    private static async Task CheckIdentitiesAsync(TestHub test)
    {
        using var officer = test.Hub.ClientWith(test.Keys.Token(["officer"], subject: "canbo01", unit: "Bộ phận Một cửa Tây Hồ"));
        foreach (var citizen in StandInData.Citizens.Take(5))
        {
            var answer = await officer.PostAsync(Ops.Path("/api/identity/verifications"), JsonContent.Create(new
            {
                citizenId = (string)citizen["SoDinhDanh"]!,
                fullName = StandInData.FullName(citizen),
                birthDate = StandInData.BirthDate(citizen).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                purpose = "1.010819",
            }), TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        }
    }

    private static async Task ReplayAsync(TestHub test)
    {
        using var ops = Ops.Operator(test.Hub, test.Keys);
        var queue = await Ops.SeedDeadLettersAsync(test.Hub, 2);
        var dryRun = await ops.PostAsJsonAsync(Ops.Path("/api/ops/replays"), new { queue, filter = new { }, comment = "Xem trước", dryRun = true }, TestContext.Current.CancellationToken);
        var started = await Ops.JsonAsync(await ops.PostAsJsonAsync(Ops.Path("/api/ops/replays"), new { queue, filter = new { }, comment = "Gửi lại sau khi sửa cấu hình" }, TestContext.Current.CancellationToken));
        Assert.Equal(HttpStatusCode.OK, dryRun.StatusCode);
        await Ops.WaitForJobAsync(ops, (string)started["id"]!, TimeSpan.FromMinutes(1));
    }

    /// <summary>One sealed timeline row changed as someone with write access to the database would: its triggers dropped first.</summary>
    private static async Task<long> TamperAsync(TestHub test)
    {
        var position = await test.Probe.ScalarAsync("SELECT MAX(position) / 2 FROM hub_audit_seals WHERE chain = 'timeline'");
        await using var connection = new SqliteConnection($"Data Source={test.Settings["Messaging:DatabasePath"]};Default Timeout=30");
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            DROP TRIGGER hub_dossier_timeline_no_update;
            UPDATE hub_dossier_timeline SET unit = 'Sở Xây dựng' WHERE id = (SELECT CAST(entry_id AS INTEGER) FROM hub_audit_seals WHERE chain = 'timeline' AND position = {position});
            """;
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        return position;
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(TestHub test, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await HubCommandLine.RunAsync([.. args, "--url", test.Hub.Url.ToString(), "--database", test.Settings["Messaging:DatabasePath"]!], output, error);
        return (code, output.ToString(), error.ToString());
    }
}
