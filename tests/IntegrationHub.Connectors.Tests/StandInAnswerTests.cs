using System.Text.Json.Nodes;

namespace IntegrationHub.Connectors.Tests;

/// <summary>
/// An answer put in front of the stand-ins for every caller (a process a test starts carries no
/// scope): it answers only the requests it keeps, made from each request, until it is removed.
/// </summary>
[Trait("Category", "Contract")]
public sealed class StandInAnswerTests(StandInsFixture standIns) : IClassFixture<StandInsFixture>
{
    [Fact]
    public async Task AnswerWhen_FeedOfOneAgency_ThatAgencyHeldAtItsCursorOthersServedAndAllServedOnceRemoved()
    {
        const string held = "000.00.07.H26";
        var settings = StandInData.ConnectorSettings(standIns.Url);
        settings["Connectors:Portal:AgencyCode"] = held;
        await using var heldHub = ConnectorHost.Create(null, settings);
        await using var otherHub = ConnectorHost.Create(null, StandInData.ConnectorSettings(standIns.Url));

        var hold = standIns.Server.AnswerWhen(
            "POST",
            "/dvcqg/api/LayDanhSachHoSoMoi",
            r => r.BodyProperty("madonvi") == held && r.BodyProperty("contro") == "20",
            r => StandInReply.WithJson(200, new JsonObject { ["error_code"] = "0", ["message"] = "Không có hồ sơ mới", ["result"] = new JsonArray(), ["contro"] = r.BodyProperty("contro"), ["conTiep"] = false }));
        var first = await heldHub.Portal.ListSubmissionsAsync(null, 20, TestContext.Current.CancellationToken);
        var atHold = await heldHub.Portal.ListSubmissionsAsync(first.NextCursor, 20, TestContext.Current.CancellationToken);
        var other = await otherHub.Portal.ListSubmissionsAsync("20", 20, TestContext.Current.CancellationToken);
        hold.Dispose();
        var released = await heldHub.Portal.ListSubmissionsAsync(atHold.NextCursor, 20, TestContext.Current.CancellationToken);

        Assert.Equal((20, "20"), (first.Items.Count, first.NextCursor));
        Assert.Equal((0, "20", false), (atHold.Items.Count, atHold.NextCursor, atHold.HasMore));
        Assert.Equal((20, "40"), (other.Items.Count, other.NextCursor));
        Assert.Equal((20, "40"), (released.Items.Count, released.NextCursor));
    }
}
