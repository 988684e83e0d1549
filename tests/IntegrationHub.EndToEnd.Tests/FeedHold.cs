using System.Text.Json.Nodes;
using IntegrationHub.Testing.WireMock;

namespace IntegrationHub.EndToEnd.Tests;

/// <summary>
/// Holds the portal stand-in's feed for one agency code at a cursor: from there on the portal answers
/// "no new dossiers" until the hold is released, so that a test knows how much of the feed a hub has
/// seen whatever the machine's speed (a crash then lands before the feed's end).
/// </summary>
public sealed class FeedHold : IAsyncDisposable
{
    private const string MetadataKey = "hub-test-feed-hold";
    private readonly WireMockAdmin admin;
    private readonly string id = Guid.NewGuid().ToString("N");

    private FeedHold(WireMockAdmin admin) => this.admin = admin;

    /// <summary>Holds the feed of <paramref name="agencyCode"/> at every cursor that <paramref name="cursorPattern"/> (a regular expression) matches.</summary>
    public static async Task<FeedHold> AtAsync(WireMockAdmin admin, string agencyCode, string cursorPattern)
    {
        ArgumentNullException.ThrowIfNull(admin);
        var hold = new FeedHold(admin);
        await admin.AddMappingAsync(new JsonObject
        {
            ["priority"] = 1,
            ["request"] = new JsonObject
            {
                ["method"] = "POST",
                ["urlPath"] = "/dvcqg/api/LayDanhSachHoSoMoi",
                ["bodyPatterns"] = new JsonArray(
                    new JsonObject { ["matchesJsonPath"] = new JsonObject { ["expression"] = "$.madonvi", ["equalTo"] = agencyCode } },
                    new JsonObject { ["matchesJsonPath"] = new JsonObject { ["expression"] = "$.contro", ["matches"] = cursorPattern } }),
            },
            ["response"] = new JsonObject
            {
                ["status"] = 200,
                ["headers"] = new JsonObject { ["Content-Type"] = "application/json; charset=utf-8" },
                ["transformers"] = new JsonArray("response-template"),
                ["body"] = """{"error_code":"0","message":"Không có hồ sơ mới","result":[],"contro":"{{jsonPath request.body '$.contro'}}","conTiep":false}""",
            },
            ["metadata"] = new JsonObject { [MetadataKey] = hold.id },
        });
        return hold;
    }

    /// <summary>Lets the feed go on from where the hub stopped.</summary>
    public Task ReleaseAsync() => admin.RemoveMappingsAsync(MetadataKey, id);

    public async ValueTask DisposeAsync() => await ReleaseAsync();
}
