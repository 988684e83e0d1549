using IntegrationHub.Core.Store;
using IntegrationHub.Functions.Flows;
using IntegrationHub.Functions.Routing;
using IntegrationHub.Runtime.Functions;
using IntegrationHub.Schemas;

namespace IntegrationHub.Flows.Tests;

/// <summary>Routing: one competent department, a city code and a working-day due date, sent once; bad data refused naming it.</summary>
[Trait("Category", "Unit")]
public sealed class RoutingServiceTests : FlowTests
{

    [Fact]
    public async Task RouteAsync_JudicialRecord_GoesToJusticeOnceWithCityCodeAndDueDateAndThePortalIsTold2()
    {
        // Submitted Thursday 5 Dec 2024 09:12; 10 working days later is Thursday 19 Dec at 09:12.
        var (verified, messageId) = await Hub.VerifiedAsync(new SubmissionBuilder().Build());

        var outcome = await CreateSut().RouteAsync(verified, messageId, 1, CancellationToken.None);

        Assert.Equal(StepOutcome.Done, outcome);
        var routed = Assert.Single(await Hub.MessagesAsync<DossierRouted>("dept-stp"));
        Assert.Equal(("STP", "000.00.00.H26-241205-0001"), (routed.DepartmentCode, routed.CityCode));
        Assert.Equal(ReferenceDataFiles.Vn(2024, 12, 19, 9, 12), routed.DueAt);
        Assert.Empty(await Hub.MessageIdsAsync(HubQueues.SectorDelivery));
        var told = Assert.Single(await Hub.MessagesAsync<SyncPortalStatus>(HubQueues.PortalStatus));
        Assert.Equal((DossierStatus.Accepted, routed.CityCode, routed.DueAt), (told.Status, told.CityCode, told.DueAt));
        var record = await Hub.Dossiers.ReadAsync(verified.Submission.PortalCode, CancellationToken.None);
        Assert.Equal((DossierStage.Routed, "STP", DossierStatus.Accepted), (record!.Stage, record.DepartmentCode, record.Progress!.Status));
        Assert.StartsWith("Tiếp nhận hồ sơ, chuyển Sở Tư pháp giải quyết. Mã hồ sơ 000.00.00.H26-241205-0001, hạn trả kết quả 19/12/2024 09:12.", (await Hub.TimelineAsync(verified.Submission.PortalCode))[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task RouteAsync_DepartmentWithASectorSystem_AlsoGoesToSectorDelivery()
    {
        var (verified, messageId) = await Hub.VerifiedAsync(new SubmissionBuilder().WithProcedure("1.001612").Build());

        await CreateSut().RouteAsync(verified, messageId, 1, CancellationToken.None);

        Assert.Equal("business", Assert.Single(await Hub.MessagesAsync<DossierRouted>(HubQueues.SectorDelivery)).SectorSystem);
        Assert.Single(await Hub.MessageIdsAsync("dept-skhdt"));
    }

    [Fact]
    public async Task RouteAsync_UnknownProcedure_IsRefusedNamingItAndTheDossierSaysWhyAndCanBeRoutedOnReplay()
    {
        var (verified, messageId) = await Hub.VerifiedAsync(new SubmissionBuilder().WithProcedure("1.999999").Build());

        var outcome = await CreateSut().RouteAsync(verified, messageId, 1, CancellationToken.None);

        Assert.Equal(RoutingService.RoutingFailed, outcome.Refusal);
        Assert.Contains("UnknownProcedure", outcome.Description, StringComparison.Ordinal);
        Assert.Contains("1.999999", outcome.Description, StringComparison.Ordinal);
        Assert.Equal(DossierStage.DeadLettered, (await Hub.Dossiers.ReadAsync(verified.Submission.PortalCode, CancellationToken.None))!.Stage);
        Assert.StartsWith("Chưa thể chuyển hồ sơ: UnknownProcedure", (await Hub.TimelineAsync(verified.Submission.PortalCode))[^1], StringComparison.Ordinal);
        Assert.Empty(await Hub.MessageIdsAsync(HubQueues.PortalStatus));
        Assert.Equal(0, await Hub.ScalarAsync($"SELECT COUNT(*) FROM hub_inbox WHERE message_id = '{messageId}'"));
    }

    [Fact]
    public async Task RouteAsync_DueDatePastTheCalendar_IsRefusedNamingTheYear()
    {
        var (verified, messageId) = await Hub.VerifiedAsync(new SubmissionBuilder().Build());
        var late = verified with { ReceivedAt = ReferenceDataFiles.Vn(2027, 12, 28, 9) };

        var outcome = await CreateSut().RouteAsync(late, messageId, 1, CancellationToken.None);

        Assert.Equal(RoutingService.CalendarNotCovered, outcome.Refusal);
        Assert.Contains("2028", outcome.Description, StringComparison.Ordinal);
    }

    /// <summary>Delivered again (2), or sent twice and each copy delivered once (1): routed once.</summary>
    [Theory]
    [InlineData(2)]
    [InlineData(1)]
    public async Task RouteAsync_SameMessageTwice_GoesToTheDepartmentOnceUnderOneCityCode(int secondDelivery)
    {
        var (verified, messageId) = await Hub.VerifiedAsync(new SubmissionBuilder().Build());
        await CreateSut().RouteAsync(verified, messageId, 1, CancellationToken.None);

        var again = await CreateSut().RouteAsync(verified, messageId, secondDelivery, CancellationToken.None);

        Assert.Equal(StepOutcome.AlreadyDone, again);
        Assert.Single(await Hub.MessageIdsAsync("dept-stp"));
        Assert.Equal(1, await Hub.ScalarAsync("SELECT MAX(last) FROM hub_dossier_sequences"));
        Assert.Single(await Hub.MessageIdsAsync(HubQueues.PortalStatus));
    }

    /// <summary>
    /// A dossier that already has its city code, routed again under another message on its first
    /// delivery: the code is kept and no number is taken.
    /// </summary>
    [Fact]
    public async Task RouteAsync_DossierRoutedUnderAnotherMessage_KeepsItsCityCode()
    {
        var (verified, messageId) = await Hub.VerifiedAsync(new SubmissionBuilder().Build());
        await CreateSut().RouteAsync(verified, messageId, 1, CancellationToken.None);

        var outcome = await CreateSut().RouteAsync(verified, "another-" + messageId, 1, CancellationToken.None);

        Assert.Equal(StepOutcome.Done, outcome);
        var timeline = await Hub.TimelineAsync(verified.Submission.PortalCode);
        Assert.Equal(2, timeline.Count(step => step.Contains("Mã hồ sơ 000.00.00.H26-241205-0001,", StringComparison.Ordinal)));
        Assert.Equal(1, await Hub.ScalarAsync("SELECT MAX(last) FROM hub_dossier_sequences"));
        var record = await Hub.Dossiers.ReadAsync(verified.Submission.PortalCode, CancellationToken.None);
        Assert.Equal((DossierStage.Routed, "000.00.00.H26-241205-0001", 3L), (record!.Stage, record.CityCode, record.Version));
    }

    [Fact]
    public async Task RouteAsync_DossierNeverReceived_FailsNamingItAndTakesNoNumber()
    {
        var (verified, messageId) = await Hub.VerifiedAsync(new SubmissionBuilder().Build());
        var stray = verified with { Submission = verified.Submission with { PortalCode = "G22.99-241205-999999" } };

        var failed = await Assert.ThrowsAsync<InvalidOperationException>(() => CreateSut().RouteAsync(stray, messageId, 1, CancellationToken.None));

        Assert.Contains("G22.99-241205-999999 was routed before it was received", failed.Message, StringComparison.Ordinal);
        Assert.Equal(0, await Hub.ScalarAsync("SELECT COUNT(*) FROM hub_dossier_sequences WHERE last > 0"));
        Assert.Empty(await Hub.MessageIdsAsync(HubQueues.PortalStatus));
    }

    private RoutingService CreateSut() => Hub.Get<RoutingService>();
}
