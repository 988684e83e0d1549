using IntegrationHub.Functions.Flows;
using IntegrationHub.Functions.Status;
using IntegrationHub.Schemas;

namespace IntegrationHub.Flows.Tests;

/// <summary>The deadline watch: one alert per dossier per threshold, as the fake clock passes the due date.</summary>
[Trait("Category", "Unit")]
public sealed class DeadlineWatchTests : FlowTests
{

    [Fact]
    public async Task CheckAsync_WellBeforeTheDueDate_RaisesNothing()
    {
        await Hub.RoutedAsync(new SubmissionBuilder().Build());

        Assert.Equal(0, await CreateSut().CheckAsync(CancellationToken.None));
        Assert.Empty(await Hub.MessageIdsAsync(HubQueues.DeadlineAlerts));
    }

    [Fact]
    public async Task CheckAsync_WithinAWorkingDayOfTheDueDate_RaisesOneNearDueAlert()
    {
        var dossier = await Hub.RoutedAsync(new SubmissionBuilder().Build());
        Hub.Clock.SetUtcNow(dossier.Progress!.DueAt - TimeSpan.FromHours(2));

        var raised = await CreateSut().CheckAsync(CancellationToken.None);
        var again = await CreateSut().CheckAsync(CancellationToken.None);

        Assert.Equal((1, 0), (raised, again));
        var alert = Assert.Single(await Hub.MessagesAsync<DeadlineAlertRaised>(HubQueues.DeadlineAlerts));
        Assert.Equal((DeadlineThreshold.NearDue, dossier.CityCode), (alert.Threshold, alert.CityCode));
        Assert.StartsWith("Cảnh báo: hồ sơ sắp đến hạn (hạn 19/12/2024 09:12)", (await Hub.TimelineAsync(dossier.PortalCode))[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckAsync_PastTheDueDateAndCheckedAgain_RaisesOneOverdueAlert()
    {
        var dossier = await Hub.RoutedAsync(new SubmissionBuilder().Build());
        Hub.Clock.SetUtcNow(dossier.Progress!.DueAt + TimeSpan.FromDays(1));

        await CreateSut().CheckAsync(CancellationToken.None);
        Hub.Clock.Advance(TimeSpan.FromMinutes(5));
        await CreateSut().CheckAsync(CancellationToken.None);

        Assert.Equal([$"alert:{dossier.PortalCode}:overdue"], await Hub.MessageIdsAsync(HubQueues.DeadlineAlerts));
        Assert.Single(await Hub.TimelineAsync(dossier.PortalCode), s => s.StartsWith("Cảnh báo: hồ sơ đã quá hạn", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CheckAsync_PausedForSupplements_RaisesNothing()
    {
        var dossier = await Hub.RoutedAsync(new SubmissionBuilder().Build());
        var status = Hub.Get<DepartmentStatusService>();
        await status.ApplyAsync("STP", dossier.CityCode!, Report("r-1", DossierStatus.InProcessing), CancellationToken.None);
        await status.ApplyAsync("STP", dossier.CityCode!, Report("r-2", DossierStatus.SupplementRequested), CancellationToken.None);
        Hub.Clock.SetUtcNow(dossier.Progress!.DueAt + TimeSpan.FromDays(1));

        Assert.Equal(0, await CreateSut().CheckAsync(CancellationToken.None));
    }

    private DeadlineWatch CreateSut() => Hub.Get<DeadlineWatch>();

    private static DepartmentStatusReport Report(string id, DossierStatus status) => new()
    {
        ReportId = id, Status = status, Officer = new Officer { Name = "Trần Văn Bình" }, Unit = "Phòng Lý lịch tư pháp", Action = "Cập nhật.",
    };
}
