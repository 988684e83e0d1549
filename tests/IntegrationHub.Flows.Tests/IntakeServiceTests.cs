using IntegrationHub.Core.Gateways;
using IntegrationHub.Core.Store;
using IntegrationHub.Functions.Flows;
using IntegrationHub.Functions.Intake;
using IntegrationHub.Schemas;

namespace IntegrationHub.Flows.Tests;

/// <summary>Intake: each submission recorded once and sent to verification; bad ones kept as dead letters with the reason.</summary>
[Trait("Category", "Unit")]
public sealed class IntakeServiceTests : FlowTests
{

    [Fact]
    public async Task PullAsync_NewSubmissions_RecordsEachSendsItToVerificationAndMovesTheCursor()
    {
        Hub.Portal.List(new SubmissionBuilder().WithPortalCode("G22.99-241205-000001").Build(), new SubmissionBuilder().WithPortalCode("G22.99-241205-000002").Build());

        var result = await CreateSut().PullAsync(CancellationToken.None);

        Assert.Equal(new IntakeResult(2, 0, 0), result);
        Assert.Equal(["intake:G22.99-241205-000001", "intake:G22.99-241205-000002"], await Hub.MessageIdsAsync(HubQueues.Intake));
        var record = await Hub.Dossiers.ReadAsync("G22.99-241205-000001", CancellationToken.None);
        Assert.Equal((DossierStage.Received, "001******345"), (record!.Stage, record.MaskedApplicantId));
        Assert.Equal(["Nhận hồ sơ từ Cổng Dịch vụ công quốc gia."], await Hub.TimelineAsync("G22.99-241205-000001"));
        Assert.Equal("2", await Hub.Get<ISyncCursors>().GetAsync(IntakeService.CursorName, CancellationToken.None));
    }

    [Fact]
    public async Task PullAsync_SubmittedInTheFuture_IsReceivedNowNotLater()
    {
        Hub.Portal.List(new SubmissionBuilder().SubmittedAt(FlowHarness.Start.AddDays(2)).Build());

        await CreateSut().PullAsync(CancellationToken.None);

        Assert.Equal(FlowHarness.Start, (await Hub.Dossiers.ReadAsync("G22.99-241205-000123", CancellationToken.None))!.ReceivedAt);
    }

    [Fact]
    public async Task PullAsync_ListedAgainWithTheSameContent_IsADuplicateAndNothingMore()
    {
        var submission = new SubmissionBuilder().Build();
        Hub.Portal.List(submission, submission);

        var result = await CreateSut().PullAsync(CancellationToken.None);

        Assert.Equal(new IntakeResult(1, 1, 0), result);
        Assert.Single(await Hub.MessageIdsAsync(HubQueues.Intake));
        Assert.Empty(await Hub.DeadLettersAsync(HubQueues.Intake));
    }

    [Fact]
    public async Task PullAsync_ListedAgainWithOtherContent_IsDeadLetteredAsAConflictAndTheFirstStands()
    {
        Hub.Portal.List(new SubmissionBuilder().Build(), new SubmissionBuilder().WithProcedure("1.001612").Build());

        var result = await CreateSut().PullAsync(CancellationToken.None);

        Assert.Equal(new IntakeResult(1, 0, 1), result);
        var dead = Assert.Single(await Hub.DeadLettersAsync(HubQueues.Intake));
        Assert.Equal(IntakeService.ConflictingDuplicate, dead.DeadLetterReason);
        Assert.Equal("1.010819", (await Hub.Dossiers.ReadAsync("G22.99-241205-000123", CancellationToken.None))!.ProcedureCode);
    }

    [Fact]
    public async Task PullAsync_AnUnreadableItem_IsDeadLetteredNamingWhatIsWrongAndRecordsNothing()
    {
        Hub.Portal.ListUnreadable("G22.99-241205-000777", "MaTTHC: missing");

        var result = await CreateSut().PullAsync(CancellationToken.None);

        Assert.Equal(new IntakeResult(0, 0, 1), result);
        var dead = Assert.Single(await Hub.DeadLettersAsync(HubQueues.Intake));
        Assert.Equal((IntakeService.UnreadableSubmission, "intake-unreadable:G22.99-241205-000777"), (dead.DeadLetterReason, dead.MessageId));
        Assert.Contains("MaTTHC: missing", dead.DeadLetterErrorDescription, StringComparison.Ordinal);
        Assert.Null(await Hub.Dossiers.ReadAsync("G22.99-241205-000777", CancellationToken.None));
    }

    [Fact]
    public async Task PullAsync_PortalUnavailable_ThrowsAndTheCursorStays()
    {
        Hub.Portal.List(new SubmissionBuilder().Build());
        Hub.Portal.Failing = GatewayFailure.Unavailable;

        var failure = await Assert.ThrowsAsync<GatewayException>(() => CreateSut().PullAsync(CancellationToken.None));

        Assert.Equal(GatewayFailure.Unavailable, failure.Failure);
        Assert.Null(await Hub.Get<ISyncCursors>().GetAsync(IntakeService.CursorName, CancellationToken.None));
        Assert.Empty(await Hub.MessageIdsAsync(HubQueues.Intake));
    }

    private IntakeService CreateSut() => Hub.Get<IntakeService>();
}
