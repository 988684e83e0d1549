using IntegrationHub.Core.Gateways;
using IntegrationHub.Functions.Delivery;
using IntegrationHub.Functions.Flows;
using IntegrationHub.Runtime.Functions;
using IntegrationHub.Schemas;

namespace IntegrationHub.Flows.Tests;

/// <summary>Sector delivery: a routed dossier pushed to its sector system once, its receipt on the record and the timeline.</summary>
[Trait("Category", "Unit")]
public sealed class SectorDeliveryServiceTests : FlowTests
{

    [Fact]
    public async Task DeliverAsync_BusinessRegistration_ReachesTheSystemAndItsReceiptIsRecorded()
    {
        var (routed, messageId) = await RoutedToBusinessAsync();

        var outcome = await CreateSut().DeliverAsync(routed, messageId, CancellationToken.None);

        Assert.Equal(StepOutcome.Done, outcome);
        Assert.Equal([routed.CityCode], Hub.Sectors["business"].Received.Select(d => d.CityCode));
        Assert.Equal($"BN-{routed.CityCode}", (await Hub.Dossiers.ReadAsync(routed.PortalCode, CancellationToken.None))!.SectorReceiptId);
        Assert.Equal($"Chuyển hồ sơ sang hệ thống chuyên ngành (business); số biên nhận BN-{routed.CityCode}.", (await Hub.TimelineAsync(routed.PortalCode))[^1]);
    }

    [Fact]
    public async Task DeliverAsync_SystemRefuses_IsRefusedWithTheSystemsWordsAndNothingIsRecorded()
    {
        var (routed, messageId) = await RoutedToBusinessAsync();
        Hub.Sectors["business"].Failing = GatewayFailure.Rejected;

        var outcome = await CreateSut().DeliverAsync(routed, messageId, CancellationToken.None);

        Assert.Equal(SectorDeliveryService.SectorRefused, outcome.Refusal);
        Assert.Contains("E42", outcome.Description, StringComparison.Ordinal);
        Assert.Null((await Hub.Dossiers.ReadAsync(routed.PortalCode, CancellationToken.None))!.SectorReceiptId);
    }

    [Fact]
    public async Task DeliverAsync_SystemUnavailable_ThrowsForARetry()
    {
        var (routed, messageId) = await RoutedToBusinessAsync();
        Hub.Sectors["business"].Failing = GatewayFailure.Unavailable;

        await Assert.ThrowsAsync<GatewayException>(() => CreateSut().DeliverAsync(routed, messageId, CancellationToken.None));

        Assert.Null((await Hub.Dossiers.ReadAsync(routed.PortalCode, CancellationToken.None))!.SectorReceiptId);
    }

    [Fact]
    public async Task DeliverAsync_SystemWithoutAConnector_IsRefusedNamingTheSetting()
    {
        var (routed, messageId) = await RoutedToBusinessAsync();

        var outcome = await CreateSut().DeliverAsync(routed with { SectorSystem = "tax" }, messageId, CancellationToken.None);

        Assert.Equal(SectorDeliveryService.NoSectorGateway, outcome.Refusal);
        Assert.Contains("Connectors:Sectors:<System>", outcome.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeliverAsync_SameMessageTwice_RecordsTheReceiptOnce()
    {
        var (routed, messageId) = await RoutedToBusinessAsync();
        await CreateSut().DeliverAsync(routed, messageId, CancellationToken.None);

        var again = await CreateSut().DeliverAsync(routed, messageId, CancellationToken.None);

        // The system is keyed by the city code, so a second push is harmless; the hub records it once.
        Assert.Equal(StepOutcome.AlreadyDone, again);
        Assert.Single(await Hub.TimelineAsync(routed.PortalCode), s => s.StartsWith("Chuyển hồ sơ sang hệ thống chuyên ngành", StringComparison.Ordinal));
    }

    private async Task<(DossierRouted Routed, string MessageId)> RoutedToBusinessAsync()
    {
        await Hub.RoutedAsync(new SubmissionBuilder().WithProcedure("1.001612").Build());
        return await Hub.TakeAsync<DossierRouted>(HubQueues.SectorDelivery);
    }

    private SectorDeliveryService CreateSut() => Hub.Get<SectorDeliveryService>();
}
