using IntegrationHub.Core.Messaging;
using IntegrationHub.Core.Operations;
using IntegrationHub.Functions.Flows;
using IntegrationHub.Functions.Http;
using IntegrationHub.Functions.Operations;
using IntegrationHub.Functions.Routing;
using IntegrationHub.Schemas;

namespace IntegrationHub.Flows.Tests;

/// <summary>
/// Replaying dead letters: choosing them, dry runs, jobs with their audit entries, each item replayed
/// once under its own id with the operator on the dossier's timeline, and cancelling.
/// </summary>
[Trait("Category", "Unit")]
public sealed class ReplayTests : FlowTests
{
    private string code = "";

    protected override async Task ArrangeAsync()
    {
        code = new SubmissionBuilder().WithProcedure("1.999999").Build().PortalCode;
        Assert.Equal(RoutingService.RoutingFailed, (await Hub.ThroughRoutingAsync(new SubmissionBuilder().WithProcedure("1.999999").Build())).Refusal);
    }

    [Fact]
    public async Task PlanAsync_ByIdAndByFilter_FindsTheDeadLetterAndRefusesWhatIsNotThere()
    {
        var planner = Hub.Get<ReplayPlanner>();

        var byId = await planner.PlanAsync(Request(messageIds: [$"route:{code}"]), CancellationToken.None);
        var byReason = await planner.PlanAsync(Request(filter: new DeadLetterFilter { Reason = RoutingService.RoutingFailed }), CancellationToken.None);
        var missing = await Assert.ThrowsAsync<OperationsRequestException>(() => planner.PlanAsync(Request(messageIds: ["route:nope"]), CancellationToken.None));
        var noQueue = await Assert.ThrowsAsync<OperationsRequestException>(() => planner.PlanAsync(Request(queue: "nowhere", filter: new DeadLetterFilter()), CancellationToken.None));

        Assert.Equal([$"route:{code}"], byId.Letters.Select(l => l.MessageId));
        Assert.Equal([$"route:{code}"], byReason.Letters.Select(l => l.MessageId));
        Assert.Equal(Problems.NothingToReplay, missing.ProblemType);
        Assert.Equal(["route:nope"], missing.Missing);
        Assert.Equal(Problems.NotFound, noQueue.ProblemType);
    }

    [Fact]
    public async Task DryRunAsync_RecordsTheLookAndMovesNothing()
    {
        var request = Request(messageIds: [$"route:{code}"]);
        var plan = await Hub.Get<ReplayPlanner>().PlanAsync(request, CancellationToken.None);

        await Hub.Get<ReplayJobControl>().DryRunAsync(plan, FlowHarness.Hoa, request, CancellationToken.None);

        var entry = Assert.Single(await Hub.AuditAsync());
        Assert.Equal((OperatorActions.DryRun, $"route:{code}", "op-hoa"), (entry.Action, entry.MessageId, entry.Actor));
        Assert.Single(await Hub.DeadLettersAsync(HubQueues.Route));
    }

    [Fact]
    public async Task StartAsync_ThenItsItemReplayed_ReturnsTheMessageUnderItsIdOnceWithTheOperatorOnTheTimeline()
    {
        var request = Request(messageIds: [$"route:{code}"]);
        var plan = await Hub.Get<ReplayPlanner>().PlanAsync(request, CancellationToken.None);

        var job = await Hub.Get<ReplayJobControl>().StartAsync(plan, FlowHarness.Hoa, request, CancellationToken.None);
        var item = Assert.Single(await Hub.Get<IReplayJobs>().ItemsAsync(job.Id, 0, 10, pendingOnly: true, CancellationToken.None));
        var first = await Hub.Get<ReplayItemRunner>().ReplayAsync(job, item, Hub.Clock.GetUtcNow());
        var second = await Hub.Get<ReplayItemRunner>().ReplayAsync(job, item, Hub.Clock.GetUtcNow());

        Assert.Equal((ReplayItemState.Replayed, ReplayItemState.NotFound), (first, second));
        Assert.Equal([$"route:{code}"], await Hub.MessageIdsAsync(HubQueues.Route));
        Assert.Empty(await Hub.DeadLettersAsync(HubQueues.Route));
        Assert.Equal((OperatorActions.Replay, job.Id), Assert.Single(await Hub.AuditAsync()) is var entry ? (entry.Action, entry.JobId) : default);
        var step = (await Hub.Dossiers.TimelineAsync(code, CancellationToken.None))[^1];
        Assert.Equal(("Nguyễn Thị Hoa", "Tổ vận hành"), (step.Actor, step.Unit));
        Assert.Contains("Sau khi bổ sung thủ tục", step.Action, StringComparison.Ordinal);
        Assert.Equal(1, (await Hub.Get<IReplayJobs>().GetAsync(job.Id, CancellationToken.None))!.Counts[ReplayItemState.Replayed]);
    }

    [Fact]
    public async Task CancelAsync_RunningJob_StopsItWithAnAuditEntryAndASecondCancelIsRefused()
    {
        var request = Request(filter: new DeadLetterFilter());
        var control = Hub.Get<ReplayJobControl>();
        var job = await control.StartAsync(await Hub.Get<ReplayPlanner>().PlanAsync(request, CancellationToken.None), FlowHarness.Hoa, request, CancellationToken.None);

        var cancelled = await control.CancelAsync(job.Id, FlowHarness.Hoa, "Dừng lại để kiểm tra", CancellationToken.None);
        var again = await Assert.ThrowsAsync<OperationsRequestException>(() => control.CancelAsync(job.Id, FlowHarness.Hoa, "Lần nữa", CancellationToken.None));

        Assert.Equal((ReplayJobStatus.Cancelled, "op-hoa"), (cancelled.Status, cancelled.CancelledBy));
        Assert.Equal(Problems.ReplayJobFinished, again.ProblemType);
        Assert.Equal([OperatorActions.CancelJob, OperatorActions.Replay], (await Hub.AuditAsync()).Select(e => e.Action));
        Assert.Single(await Hub.DeadLettersAsync(HubQueues.Route));
    }

    private static DeadLetterReplayRequest Request(string queue = HubQueues.Route, IReadOnlyList<string>? messageIds = null, DeadLetterFilter? filter = null) => new()
    {
        Queue = queue, MessageIds = messageIds, Filter = filter, Comment = "Sau khi bổ sung thủ tục 1.999999",
    };
}
