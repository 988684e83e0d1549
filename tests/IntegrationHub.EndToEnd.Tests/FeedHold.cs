using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using IntegrationHub.StandIns;

namespace IntegrationHub.EndToEnd.Tests;

/// <summary>
/// Holds the portal stand-in's feed for one agency code at a cursor: from there on the portal answers
/// "no new dossiers" until the hold is released, so that a test knows how much of the feed a hub has
/// seen whatever the machine's speed (a crash then lands before the feed's end).
/// </summary>
public sealed class FeedHold : IDisposable
{
    private readonly IDisposable answer;

    private FeedHold(IDisposable answer) => this.answer = answer;

    /// <summary>Holds the feed of <paramref name="agencyCode"/> at every cursor that <paramref name="cursorPattern"/> (a regular expression) matches.</summary>
    public static FeedHold At(StandInServer standIns, string agencyCode, string cursorPattern)
    {
        ArgumentNullException.ThrowIfNull(standIns);
        var cursors = new Regex(cursorPattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        return new FeedHold(standIns.AnswerWhen(
            "POST",
            "/dvcqg/api/LayDanhSachHoSoMoi",
            r => r.BodyProperty("madonvi") == agencyCode && r.BodyProperty("contro") is { } cursor && cursors.IsMatch(cursor),
            r => StandInReply.WithJson(200, new JsonObject
            {
                ["error_code"] = "0",
                ["message"] = "Không có hồ sơ mới",
                ["result"] = new JsonArray(),
                ["contro"] = r.BodyProperty("contro"),
                ["conTiep"] = false,
            })));
    }

    /// <summary>Lets the feed go on from where the hub stopped.</summary>
    public void Release() => answer.Dispose();

    public void Dispose() => Release();
}
