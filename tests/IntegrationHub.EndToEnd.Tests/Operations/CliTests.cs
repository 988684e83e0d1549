using System.Text.Json.Nodes;
using IntegrationHub.Core.Messaging;
using IntegrationHub.Functions.Cli;
using IntegrationHub.StandIns;

namespace IntegrationHub.EndToEnd.Tests.Operations;

/// <summary>The <c>deadletters</c> verbs of the hub's command line, against a hub listening on a loopback port.</summary>
[Trait("Category", "Operations")]
[Collection(EndToEnd.Collection)]
public sealed class CliTests(SettledHubFixture fixture) : IClassFixture<SettledHubFixture>
{
    [Fact]
    public async Task List_SampleFeed_PrintsTheGroupsAndTheRoutingFailures()
    {
        var unknown = StandInData.Expected.Single(e => e.Expect == "deadLetter" && e.Stage == "routing" && e.ProcedureCode == "1.999999");

        var (code, output, _) = await RunAsync("deadletters", "list", "--queue", "route");

        Assert.Equal(0, code);
        Assert.Contains("2 dead letters", output, StringComparison.Ordinal);
        Assert.Contains("RoutingFailed", output, StringComparison.Ordinal);
        Assert.Contains($"route:{unknown.PortalCode}", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Show_RoutingFailure_PrintsTheReasonTheBodyInVietnameseAndTheTimeline()
    {
        var unknown = StandInData.Expected.Single(e => e.Expect == "deadLetter" && e.Stage == "routing" && e.ProcedureCode == "2.000002");

        var (code, output, _) = await RunAsync("deadletters", "show", "route", $"route:{unknown.PortalCode}");

        Assert.Equal(0, code);
        Assert.Contains("The procedure '2.000002' is not in the procedure catalogue", output, StringComparison.Ordinal);
        Assert.Contains("\"procedureCode\": \"2.000002\"", output, StringComparison.Ordinal);
        Assert.Contains("Nhận hồ sơ từ Cổng Dịch vụ công quốc gia.", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_DryRunThenForReal_ShowsWhatWouldGoWhereThenFollowsTheJobToItsEnd()
    {
        var queue = await Ops.SeedDeadLettersAsync(fixture.Hub, 4);

        var (dryCode, dry, _) = await RunAsync("deadletters", "replay", "--queue", queue, "--all", "--reason", "MaxDeliveryCountExceeded", "--comment", "xem trước", "--dry-run");
        var leftAfterDryRun = (await Ops.PeekAsync(fixture.Hub, QueueNames.DeadLetterOf(queue))).Count;
        var (code, output, _) = await RunAsync("deadletters", "replay", "--queue", queue, "--all", "--comment", "Gửi lại từ dòng lệnh", "--max-per-second", "20");

        Assert.Equal(0, dryCode);
        Assert.Contains("4 dead letters would be replayed", dry, StringComparison.Ordinal);
        Assert.Contains($"{queue}/$deadletterqueue", dry, StringComparison.Ordinal);
        Assert.Equal(4, leftAfterDryRun);
        Assert.Equal(0, code);
        Assert.Contains("4 of 4 tried", output, StringComparison.Ordinal);
        Assert.Contains("completed: 4 replayed", output, StringComparison.Ordinal);
        Assert.Equal(4, (await Ops.PeekAsync(fixture.Hub, queue)).Count);
    }

    [Fact]
    public async Task Replay_WithoutATokenOrWithoutASelection_SaysWhatIsMissingAndReplaysNothing()
    {
        var queue = await Ops.SeedDeadLettersAsync(fixture.Hub, 1);

        var (noTokenCode, _, noToken) = await RunWithTokenAsync(null, "deadletters", "replay", "--queue", queue, "--all", "--comment", "x");
        var (noSelectionCode, _, noSelection) = await RunAsync("deadletters", "replay", "--queue", queue, "--comment", "x");
        var (unknownCode, _, unknown) = await RunAsync("deadletters", "replay", "--queue", queue, "--id", $"{queue}:7", "--comment", "x");

        Assert.Equal(2, noTokenCode);
        Assert.Contains("HUB_TOKEN", noToken, StringComparison.Ordinal);
        Assert.Equal(2, noSelectionCode);
        Assert.Contains("--id", noSelection, StringComparison.Ordinal);
        Assert.Equal(2, unknownCode);
        Assert.Contains($"{queue}:7", unknown, StringComparison.Ordinal);
        Assert.Empty(await Ops.PeekAsync(fixture.Hub, queue));
    }

    private Task<(int Code, string Output, string Error)> RunAsync(params string[] args) => RunWithTokenAsync(Ops.OperatorToken(fixture.Keys, "op-cli"), args);

    private async Task<(int Code, string Output, string Error)> RunWithTokenAsync(string? token, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        string[] connection = token is null ? ["--url", fixture.Hub.Url.ToString()] : ["--url", fixture.Hub.Url.ToString(), "--token", token];
        var code = await HubCommandLine.RunAsync([.. args, .. connection], output, error);
        Assert.True(code is 0 or 2, $"The command line failed unexpectedly ({code}): {error}");
        return (code, output.ToString(), error.ToString());
    }
}
