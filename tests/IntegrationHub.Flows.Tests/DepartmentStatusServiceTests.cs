using IntegrationHub.Core.Dossiers;
using IntegrationHub.Core.Store;
using IntegrationHub.Functions.Flows;
using IntegrationHub.Functions.Status;
using IntegrationHub.Schemas;

namespace IntegrationHub.Flows.Tests;

/// <summary>A department's progress: checked against the state machine, on the timeline with the officer, and on its way to the portal.</summary>
[Trait("Category", "Unit")]
public sealed class DepartmentStatusServiceTests : FlowTests
{

    [Fact]
    public async Task ApplyAsync_InProcessing_IsRecordedWithTheOfficerAndSentToThePortal()
    {
        var dossier = await Hub.RoutedAsync(new SubmissionBuilder().Build());
        await Hub.TakeAsync<SyncPortalStatus>(HubQueues.PortalStatus);

        var result = await CreateSut().ApplyAsync("STP", dossier.CityCode!, Report("r-1", DossierStatus.InProcessing), CancellationToken.None);

        Assert.Equal((ReportOutcome.Applied, DossierStatus.InProcessing), (result.Outcome, result.Dossier!.Progress!.Status));
        var told = Assert.Single(await Hub.MessagesAsync<SyncPortalStatus>(HubQueues.PortalStatus));
        Assert.Equal((DossierStatus.InProcessing, "Trần Văn Bình"), (told.Status, told.Progress[0].Actor));
        var step = (await Hub.Dossiers.TimelineAsync(dossier.PortalCode, CancellationToken.None))[^1];
        Assert.Equal(("Trần Văn Bình", "Phòng Lý lịch tư pháp", "Đang thẩm định hồ sơ."), (step.Actor, step.Unit, step.Action));
    }

    [Fact]
    public async Task ApplyAsync_SameReportTwice_ChangesNothingTheSecondTime()
    {
        var dossier = await Hub.RoutedAsync(new SubmissionBuilder().Build());
        await Hub.TakeAsync<SyncPortalStatus>(HubQueues.PortalStatus);
        await CreateSut().ApplyAsync("STP", dossier.CityCode!, Report("r-1", DossierStatus.InProcessing), CancellationToken.None);

        var again = await CreateSut().ApplyAsync("STP", dossier.CityCode!, Report("r-1", DossierStatus.InProcessing), CancellationToken.None);

        Assert.Equal(ReportOutcome.AlreadyApplied, again.Outcome);
        Assert.Single(await Hub.MessageIdsAsync(HubQueues.PortalStatus));
    }

    [Fact]
    public async Task ApplyAsync_AnotherDepartmentsDossier_IsNotFound()
    {
        var dossier = await Hub.RoutedAsync(new SubmissionBuilder().Build());

        var result = await CreateSut().ApplyAsync("SXD", dossier.CityCode!, Report("r-1", DossierStatus.InProcessing), CancellationToken.None);

        Assert.Equal(ReportOutcome.NotFound, result.Outcome);
    }

    [Fact]
    public async Task ApplyAsync_ChangeTheStateMachineRefuses_ThrowsNamingBothStatesAndChangesNothing()
    {
        var dossier = await Hub.RoutedAsync(new SubmissionBuilder().Build());
        Assert.False(StatusMachine.IsAllowed(DossierStatus.Accepted, DossierStatus.ResultReturned));

        var refused = await Assert.ThrowsAsync<StatusTransitionException>(() => CreateSut().ApplyAsync("STP", dossier.CityCode!, Report("r-1", DossierStatus.ResultReturned), CancellationToken.None));

        Assert.Equal((DossierStatus.Accepted, DossierStatus.ResultReturned), (refused.From, refused.To));
        Assert.Equal(DossierStatus.Accepted, (await Hub.Dossiers.ReadAsync(dossier.PortalCode, CancellationToken.None))!.Progress!.Status);
    }

    [Fact]
    public async Task ApplyAsync_SupplementsForTwoWorkingHours_MovesTheDueDateByThemAndASecondRequestIsRefused()
    {
        var dossier = await Hub.RoutedAsync(new SubmissionBuilder().Build());
        await CreateSut().ApplyAsync("STP", dossier.CityCode!, Report("r-1", DossierStatus.InProcessing), CancellationToken.None);
        await CreateSut().ApplyAsync("STP", dossier.CityCode!, Report("r-2", DossierStatus.SupplementRequested), CancellationToken.None);

        Hub.Clock.Advance(TimeSpan.FromHours(2)); // 10:00 to 12:00 Thursday: 1.5 working hours (11:30 to 13:30 is the break)
        var resumed = await CreateSut().ApplyAsync("STP", dossier.CityCode!, Report("r-3", DossierStatus.InProcessing), CancellationToken.None);
        var second = await Assert.ThrowsAsync<StatusTransitionException>(() => CreateSut().ApplyAsync("STP", dossier.CityCode!, Report("r-4", DossierStatus.SupplementRequested), CancellationToken.None));

        Assert.Equal(dossier.Progress!.DueAt + TimeSpan.FromHours(1.5), resumed.Dossier!.Progress!.DueAt);
        Assert.Null(resumed.Dossier.Progress.PausedAt);
        Assert.True(second.IsSecondSupplementRequest);
    }

    private DepartmentStatusService CreateSut() => Hub.Get<DepartmentStatusService>();

    private static DepartmentStatusReport Report(string id, DossierStatus status) => new()
    {
        ReportId = id,
        Status = status,
        Officer = new Officer { Name = "Trần Văn Bình", Title = "Chuyên viên" },
        Unit = "Phòng Lý lịch tư pháp",
        Action = "Đang thẩm định hồ sơ.",
    };
}
