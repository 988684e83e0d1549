using IntegrationHub.Core.Gateways;
using IntegrationHub.Functions.Flows;
using IntegrationHub.Functions.Status;
using IntegrationHub.Runtime.Functions;
using IntegrationHub.Schemas;

namespace IntegrationHub.Flows.Tests;

/// <summary>Portal status: each change told once, in the hub's order; a late one only adds its progress record.</summary>
[Trait("Category", "Unit")]
public sealed class PortalStatusServiceTests : FlowTests
{

    [Fact]
    public async Task PushAsync_Acceptance_IsToldWithItsProgressRecordAndMarkedSynced()
    {
        var (change, messageId) = await AcceptedAsync();

        var outcome = await CreateSut().PushAsync(change, messageId, CancellationToken.None);

        Assert.Equal(StepOutcome.Done, outcome);
        Assert.Equal([DossierStatus.Accepted], Hub.Portal.Synced.Select(s => s.Status));
        Assert.Equal([change.PortalCode], Hub.Portal.Progress.Select(p => p.PortalCode));
        Assert.Equal(change.ChangedAt, (await Hub.Dossiers.ReadAsync(change.PortalCode, CancellationToken.None))!.PortalSyncedAt);
        Assert.Equal("Cổng Dịch vụ công quốc gia đã cập nhật trạng thái 2.", (await Hub.TimelineAsync(change.PortalCode))[^1]);
    }

    [Fact]
    public async Task PushAsync_OlderThanWhatThePortalHas_OnlyAddsTheProgressRecord()
    {
        var (change, messageId) = await AcceptedAsync();
        await CreateSut().PushAsync(change with { ChangedAt = change.ChangedAt.AddMinutes(5) }, "portal:later", CancellationToken.None);

        await CreateSut().PushAsync(change, messageId, CancellationToken.None);

        Assert.Single(Hub.Portal.Synced);
        Assert.Equal(2, Hub.Portal.Progress.Count);
        Assert.Equal("Cổng Dịch vụ công quốc gia đã nhận tiến độ xử lý.", (await Hub.TimelineAsync(change.PortalCode))[^1]);
    }

    [Fact]
    public async Task PushAsync_PortalRefuses_IsRefusedWithThePortalsCodeAndNothingIsMarked()
    {
        var (change, messageId) = await AcceptedAsync();
        Hub.Portal.Failing = GatewayFailure.Rejected;

        var outcome = await CreateSut().PushAsync(change, messageId, CancellationToken.None);

        Assert.Equal(PortalStatusService.PortalRefused, outcome.Refusal);
        Assert.Contains(change.PortalCode, outcome.Description, StringComparison.Ordinal);
        Assert.Null((await Hub.Dossiers.ReadAsync(change.PortalCode, CancellationToken.None))!.PortalSyncedAt);
    }

    [Fact]
    public async Task PushAsync_PortalUnavailable_ThrowsForARetry()
    {
        var (change, messageId) = await AcceptedAsync();
        Hub.Portal.Failing = GatewayFailure.Unavailable;

        await Assert.ThrowsAsync<GatewayException>(() => CreateSut().PushAsync(change, messageId, CancellationToken.None));

        Assert.Null((await Hub.Dossiers.ReadAsync(change.PortalCode, CancellationToken.None))!.PortalSyncedAt);
    }

    [Fact]
    public async Task PushAsync_SameMessageTwice_IsRecordedOnce()
    {
        var (change, messageId) = await AcceptedAsync();
        await CreateSut().PushAsync(change, messageId, CancellationToken.None);

        var again = await CreateSut().PushAsync(change, messageId, CancellationToken.None);

        Assert.Equal(StepOutcome.AlreadyDone, again);
        Assert.Single(await Hub.TimelineAsync(change.PortalCode), s => s.StartsWith("Cổng Dịch vụ công quốc gia", StringComparison.Ordinal));
    }

    private async Task<(SyncPortalStatus Change, string MessageId)> AcceptedAsync()
    {
        await Hub.RoutedAsync(new SubmissionBuilder().Build());
        return await Hub.TakeAsync<SyncPortalStatus>(HubQueues.PortalStatus);
    }

    private PortalStatusService CreateSut() => Hub.Get<PortalStatusService>();
}
