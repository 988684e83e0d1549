using IntegrationHub.Core.Gateways;
using IntegrationHub.Core.Identity;
using IntegrationHub.Core.Store;
using IntegrationHub.Functions.Flows;
using IntegrationHub.Functions.Identity;
using IntegrationHub.Runtime.Functions;
using IntegrationHub.Schemas;

namespace IntegrationHub.Flows.Tests;

/// <summary>The verify step: a citizen's identity checked against the population database, audited; a refusal tells the portal why.</summary>
[Trait("Category", "Unit")]
public sealed class ApplicantVerificationServiceTests : FlowTests
{

    [Fact]
    public async Task VerifyAsync_IdentityMatches_SendsTheDossierToRoutingPrefilledAndAuditsTheLookup()
    {
        Hub.Population.Knows("001190012345", "Nguyễn Thị Minh Anh", new DateOnly(1990, 3, 14), new IdentityPrefill { Sex = Sex.Female, PermanentAddress = "Số 1 Tràng Tiền, Hoàn Kiếm" });
        var (submission, messageId, receivedAt) = await Hub.ReceivedAsync(new SubmissionBuilder().Build());

        var outcome = await CreateSut().VerifyAsync(submission, messageId, receivedAt, CancellationToken.None);

        Assert.Equal(StepOutcome.Done, outcome);
        var routed = Assert.Single(await Hub.MessagesAsync<ApplicantVerified>(HubQueues.Route));
        Assert.Equal((IdentityCheck.Matched, "Số 1 Tràng Tiền, Hoàn Kiếm"), (routed.IdentityCheck, routed.Submission.Applicant.Address));
        Assert.Equal(DossierStage.Verified, (await Hub.Dossiers.ReadAsync(submission.PortalCode, CancellationToken.None))!.Stage);
        var lookup = Assert.Single(await Hub.Get<IIdentityAuditLog>().ListAsync(new IdentityLookupFilter(null, "integrationhub:intake", null, null, 10), CancellationToken.None));
        Assert.Equal(("match", "001******345"), (lookup.Outcome, lookup.MaskedCitizenId));
    }

    [Fact]
    public async Task VerifyAsync_IdentityDoesNotMatch_RefusesWithStatus3NamingTheField()
    {
        Hub.Population.Knows("001190012345", "Nguyễn Thị Minh Ánh", new DateOnly(1990, 3, 14));
        var (submission, messageId, receivedAt) = await Hub.ReceivedAsync(new SubmissionBuilder().Build());

        await CreateSut().VerifyAsync(submission, messageId, receivedAt, CancellationToken.None);

        var told = Assert.Single(await Hub.MessagesAsync<SyncPortalStatus>(HubQueues.PortalStatus));
        Assert.Equal(DossierStatus.NotAccepted, told.Status);
        Assert.Contains("họ tên", told.Reason, StringComparison.Ordinal);
        Assert.Empty(await Hub.MessageIdsAsync(HubQueues.Route));
        Assert.Equal(DossierStage.Rejected, (await Hub.Dossiers.ReadAsync(submission.PortalCode, CancellationToken.None))!.Stage);
        Assert.Equal(told.Reason, (await Hub.TimelineAsync(submission.PortalCode))[^1]);
    }

    [Fact]
    public async Task VerifyAsync_MalformedCitizenId_RefusesWithoutAskingTheDatabase()
    {
        var (submission, messageId, receivedAt) = await Hub.ReceivedAsync(new SubmissionBuilder().WithCitizenId("00119001234").Build());

        await CreateSut().VerifyAsync(submission, messageId, receivedAt, CancellationToken.None);

        Assert.Empty(Hub.Population.Asked);
        Assert.Equal(DossierStatus.NotAccepted, Assert.Single(await Hub.MessagesAsync<SyncPortalStatus>(HubQueues.PortalStatus)).Status);
    }

    [Fact]
    public async Task VerifyAsync_OldIdCard_IsAcceptedUncheckedForTheOfficer()
    {
        var (submission, messageId, receivedAt) = await Hub.ReceivedAsync(new SubmissionBuilder().WithCitizenId("012345678").Build());

        await CreateSut().VerifyAsync(submission, messageId, receivedAt, CancellationToken.None);

        Assert.Empty(Hub.Population.Asked);
        Assert.Equal(IdentityCheck.OldIdCard, Assert.Single(await Hub.MessagesAsync<ApplicantVerified>(HubQueues.Route)).IdentityCheck);
    }

    [Fact]
    public async Task VerifyAsync_DatabaseUnavailable_ThrowsForARetryAndChangesNothing()
    {
        Hub.Population.Failing = GatewayFailure.Unavailable;
        var (submission, messageId, receivedAt) = await Hub.ReceivedAsync(new SubmissionBuilder().Build());

        await Assert.ThrowsAsync<GatewayException>(() => CreateSut().VerifyAsync(submission, messageId, receivedAt, CancellationToken.None));

        Assert.Empty(await Hub.MessageIdsAsync(HubQueues.Route));
        Assert.Equal(DossierStage.Received, (await Hub.Dossiers.ReadAsync(submission.PortalCode, CancellationToken.None))!.Stage);
        var lookup = Assert.Single(await Hub.Get<IIdentityAuditLog>().ListAsync(new IdentityLookupFilter(null, "integrationhub:intake", null, null, 10), CancellationToken.None));
        Assert.Equal("unavailable", lookup.Outcome);
    }

    [Fact]
    public async Task VerifyAsync_DatabaseRefusesTheQuestion_IsRefusedForAnOperatorAndChangesNothing()
    {
        Hub.Population.Failing = GatewayFailure.Rejected;
        var (submission, messageId, receivedAt) = await Hub.ReceivedAsync(new SubmissionBuilder().Build());

        var outcome = await CreateSut().VerifyAsync(submission, messageId, receivedAt, CancellationToken.None);

        Assert.Equal(ApplicantVerificationService.IdentityCheckRefused, outcome.Refusal);
        Assert.Contains(submission.PortalCode, outcome.Description, StringComparison.Ordinal);
        Assert.Empty(await Hub.MessageIdsAsync(HubQueues.Route));
        Assert.Empty(await Hub.MessageIdsAsync(HubQueues.PortalStatus));
    }

    [Fact]
    public async Task VerifyAsync_SameMessageTwice_TakesEffectOnce()
    {
        Hub.Population.Knows("001190012345", "Nguyễn Thị Minh Anh", new DateOnly(1990, 3, 14));
        var (submission, messageId, receivedAt) = await Hub.ReceivedAsync(new SubmissionBuilder().Build());
        await CreateSut().VerifyAsync(submission, messageId, receivedAt, CancellationToken.None);

        var again = await CreateSut().VerifyAsync(submission, messageId, receivedAt, CancellationToken.None);

        Assert.Equal(StepOutcome.AlreadyDone, again);
        Assert.Single(await Hub.MessageIdsAsync(HubQueues.Route));
        Assert.Equal(2, (await Hub.TimelineAsync(submission.PortalCode)).Count);
        var lookups = await Hub.Get<IIdentityAuditLog>().ListAsync(new IdentityLookupFilter(null, "integrationhub:intake", null, null, 10), CancellationToken.None);
        Assert.Equal(["match", "match"], lookups.Select(l => l.Outcome));
    }

    [Fact]
    public async Task VerifyAsync_StoppedAfterTheAnswer_RecordsTheLookupsOutcomeAndChangesNothing()
    {
        Hub.Population.Knows("001190012345", "Nguyễn Thị Minh Anh", new DateOnly(1990, 3, 14));
        var (submission, messageId, receivedAt) = await Hub.ReceivedAsync(new SubmissionBuilder().Build());
        using var stopping = new CancellationTokenSource();
        Hub.Population.Answering = stopping.Cancel;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => CreateSut().VerifyAsync(submission, messageId, receivedAt, stopping.Token));

        Assert.Empty(await Hub.MessageIdsAsync(HubQueues.Route));
        Assert.Equal(DossierStage.Received, (await Hub.Dossiers.ReadAsync(submission.PortalCode, CancellationToken.None))!.Stage);
        var lookup = Assert.Single(await Hub.Get<IIdentityAuditLog>().ListAsync(new IdentityLookupFilter(null, "integrationhub:intake", null, null, 10), CancellationToken.None));
        Assert.Equal("match", lookup.Outcome);
    }

    /// <summary>
    /// A submission dated ahead of the hub's clock is received when the hub took it in, not later: the
    /// intake's message says when, and a message that does not say it (a conflicting duplicate replayed,
    /// say) has it read from the dossier; either way routing gets the time the dossier was received.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task VerifyAsync_SubmissionDatedAhead_RoutesWithTheTimeTheDossierWasReceived(bool messageSaysWhen)
    {
        Hub.Population.Knows("001190012345", "Nguyễn Thị Minh Anh", new DateOnly(1990, 3, 14));
        var takenIn = Hub.Clock.GetUtcNow();
        var (submission, messageId, receivedAt) = await Hub.ReceivedAsync(new SubmissionBuilder().SubmittedAt(takenIn.AddHours(2)).Build());
        Hub.Clock.Advance(TimeSpan.FromHours(3));

        await CreateSut().VerifyAsync(submission, messageId, messageSaysWhen ? receivedAt : null, CancellationToken.None);

        Assert.Equal(takenIn, receivedAt);
        Assert.Equal(takenIn, Assert.Single(await Hub.MessagesAsync<ApplicantVerified>(HubQueues.Route)).ReceivedAt);
        Assert.Equal(DossierStage.Verified, (await Hub.Dossiers.ReadAsync(submission.PortalCode, CancellationToken.None))!.Stage);
    }

    private ApplicantVerificationService CreateSut() => Hub.Get<ApplicantVerificationService>();
}
