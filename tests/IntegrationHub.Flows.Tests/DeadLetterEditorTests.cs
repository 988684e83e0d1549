using System.Text.Json;
using System.Text.Json.Nodes;
using IntegrationHub.Core.Messaging;
using IntegrationHub.Core.Operations;
using IntegrationHub.Functions.Flows;
using IntegrationHub.Functions.Http;
using IntegrationHub.Functions.Operations;
using IntegrationHub.Functions.Routing;
using IntegrationHub.Schemas;

namespace IntegrationHub.Flows.Tests;

/// <summary>Correcting a dead letter: replayed under its own id with the audit entry written with the replay, or refused with nothing written.</summary>
[Trait("Category", "Unit")]
public sealed class DeadLetterEditorTests : FlowTests
{
    private string code = "";
    private string messageId = "";

    protected override async Task ArrangeAsync()
    {
        var submission = new SubmissionBuilder().WithProcedure("1.999999").Build();
        (code, messageId) = (submission.PortalCode, $"route:{submission.PortalCode}");
        Assert.Equal(RoutingService.RoutingFailed, (await Hub.ThroughRoutingAsync(submission)).Refusal);
    }

    [Fact]
    public async Task EditAsync_CorrectedProcedure_ArrivesUnderItsIdAndTheChangeIsAuditedWithItsJob()
    {
        var outcome = await CreateSut().EditAsync(HubQueues.Route, messageId, Edit(await CorrectedAsync("1.010819")), FlowHarness.Hoa, CancellationToken.None);

        Assert.True(outcome.Replayed);
        Assert.Contains(outcome.Changes, c => c.Path.EndsWith("procedureCode", StringComparison.Ordinal));
        var replayed = Assert.Single(await Hub.MessagesAsync<ApplicantVerified>(HubQueues.Route));
        Assert.Equal("1.010819", replayed.Submission.ProcedureCode);
        var entry = Assert.Single(await Hub.AuditAsync());
        Assert.Equal((OperatorActions.EditAndReplay, messageId), (entry.Action, entry.MessageId));
        var job = await Hub.Get<IReplayJobs>().GetAsync(entry.JobId!, CancellationToken.None);
        Assert.Equal((ReplayJobStatus.Completed, 1), (job!.Status, job.Counts[ReplayItemState.Replayed]));
        Assert.StartsWith($"Sửa nội dung và gửi lại thông điệp {messageId}", (await Hub.TimelineAsync(code))[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task EditAsync_DryRun_SaysWhatWouldChangeAndMovesNothing()
    {
        var outcome = await CreateSut().EditAsync(HubQueues.Route, messageId, Edit(await CorrectedAsync("1.010819")) with { DryRun = true }, FlowHarness.Hoa, CancellationToken.None);

        Assert.False(outcome.Replayed);
        Assert.NotEmpty(outcome.Changes);
        Assert.Equal(OperatorActions.EditDryRun, Assert.Single(await Hub.AuditAsync()).Action);
        Assert.Single(await Hub.DeadLettersAsync(HubQueues.Route));
    }

    [Fact]
    public async Task EditAsync_BodyItsContractRefuses_IsRefusedNamingTheFieldAndNothingIsWritten()
    {
        var body = await CorrectedAsync("1.010819");
        body["submission"]!.AsObject().Remove("procedureCode");

        var refused = await Assert.ThrowsAsync<OperationsRequestException>(() => CreateSut().EditAsync(HubQueues.Route, messageId, Edit(body), FlowHarness.Hoa, CancellationToken.None));

        Assert.Equal(Problems.ValidationFailed, refused.ProblemType);
        Assert.Contains("procedureCode", refused.Field, StringComparison.Ordinal);
        Assert.Empty(await Hub.AuditAsync());
        Assert.Single(await Hub.DeadLettersAsync(HubQueues.Route));
    }

    [Fact]
    public async Task EditAsync_BodyTooLarge_IsRefusedBeforeAnythingIsWritten()
    {
        var body = await CorrectedAsync("1.010819");
        // Each document within its schema; together past the 256 KiB a queue message may have.
        body["submission"]!["documents"] = new JsonArray([.. Enumerable.Range(0, 200).Select(i => (JsonNode)new JsonObject { ["id"] = $"d-{i}", ["name"] = "Tờ khai", ["url"] = "https://dvc.example/" + new string('x', 1900) })]);

        await Assert.ThrowsAsync<MessageSizeExceededException>(() => CreateSut().EditAsync(HubQueues.Route, messageId, Edit(body), FlowHarness.Hoa, CancellationToken.None));

        Assert.Empty(await Hub.AuditAsync());
        Assert.Empty(await Hub.Get<IReplayJobs>().ListAsync(10, CancellationToken.None));
    }

    [Fact]
    public async Task EditAsync_NoSuchDeadLetter_IsNotFound()
    {
        var edit = Edit(await CorrectedAsync("1.010819"));

        var refused = await Assert.ThrowsAsync<OperationsRequestException>(() => CreateSut().EditAsync(HubQueues.Route, "route:nope", edit, FlowHarness.Hoa, CancellationToken.None));

        Assert.Equal(Problems.NotFound, refused.ProblemType);
    }

    private DeadLetterEditor CreateSut() => Hub.Get<DeadLetterEditor>();

    private async Task<JsonObject> CorrectedAsync(string procedure)
    {
        var letter = Assert.Single(await Hub.DeadLettersAsync(HubQueues.Route));
        var body = JsonNode.Parse(letter.Body.Span)!.AsObject();
        body["submission"]!["procedureCode"] = procedure;
        return body;
    }

    private static DeadLetterEditRequest Edit(JsonObject body) => new() { Body = body, Comment = "Sửa mã thủ tục theo xác nhận của Sở Tư pháp" };
}
