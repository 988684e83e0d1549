using IntegrationHub.Core.Gateways;
using IntegrationHub.Functions.Identity;
using IntegrationHub.Schemas;

namespace IntegrationHub.Flows.Tests;

/// <summary>A list-valued setting configured replaces its default; it is not added to it.</summary>
[Trait("Category", "Unit")]
public sealed class ListSettingsTests
{
    private static readonly IdentityPrefill Everything = new()
    {
        FullName = "Nguyễn Thị Minh Anh", Sex = Sex.Female, PermanentAddress = "Số 1 Tràng Tiền", CurrentAddress = "Số 2 Hàng Bài",
    };

    [Fact]
    public async Task ProcedurePurposeFields_ConfiguredAsFullNameOnly_AnOfficerGetsTheNameAndNothingElse()
    {
        await using var hub = await FlowHarness.StartAsync(new Dictionary<string, string?> { ["Identity:ProcedurePurposeFields:0"] = "FullName" });

        var prefill = await CheckAsync(hub);

        Assert.Equal("Nguyễn Thị Minh Anh", prefill!.FullName);
        Assert.Equal((null, null, null), (prefill.Sex, prefill.PermanentAddress, prefill.CurrentAddress));
    }

    [Fact]
    public async Task ProcedurePurposeFields_NotConfigured_AreTheDefaultFour()
    {
        await using var hub = await FlowHarness.StartAsync();

        var prefill = await CheckAsync(hub);

        Assert.Equal((Sex.Female, "Số 1 Tràng Tiền", "Số 2 Hàng Bài"), (prefill!.Sex, prefill.PermanentAddress, prefill.CurrentAddress));
    }

    private static async Task<IdentityPrefill?> CheckAsync(FlowHarness hub)
    {
        hub.Population.Knows("001190012345", "Nguyễn Thị Minh Anh", new DateOnly(1990, 3, 14), Everything);
        var request = new IdentityVerificationRequest { CitizenId = "001190012345", FullName = "Nguyễn Thị Minh Anh", BirthDate = new DateOnly(1990, 3, 14), Purpose = "1.010819" };
        return (await hub.Get<IdentityVerificationService>().VerifyAsync(request, new Caller("canbo01", "Bộ phận Một cửa Tây Hồ"), CancellationToken.None)).Prefill;
    }
}
