using System.Globalization;
using System.Text.Json.Nodes;
using IntegrationHub.StandIns;

namespace IntegrationHub.EndToEnd.Tests.Security;

/// <summary>
/// The whole sample feed runs with every log line captured (down to Debug): no line holds a citizen's
/// ID, old ID card number or name from the test data; masked IDs are how citizens appear.
/// </summary>
[Trait("Category", "Security")]
[Collection(EndToEnd.Collection)]
public sealed class PersonalDataInLogsTests(StandInsFixture standIns) : IClassFixture<StandInsFixture>
{
    [Fact]
    public async Task SampleFeedAndIdentityChecks_EveryLogLine_HoldsNoCitizenIdOrName()
    {
        using var keys = new TestKeys();
        using var scope = standIns.CreateScope();
        var logs = new CapturedLogs();
        var settings = EndToEnd.Settings(standIns.Url, keys);
        settings["Logging:LogLevel:Default"] = "Debug";
        await using var hub = new InProcessHub(settings, scope, logs);
        await using var probe = HubProbe.Of(hub.Started());
        await FeedReconciliation.WaitUntilSettledAsync(probe, TimeSpan.FromMinutes(3));
        using var officer = hub.ClientWith(keys.Token(["officer"]));
        foreach (var citizen in StandInData.Citizens.Take(5))
        {
            await officer.PostAsync(new Uri("/api/identity/verifications", UriKind.Relative), System.Net.Http.Json.JsonContent.Create(new
            {
                citizenId = (string)citizen["SoDinhDanh"]!,
                fullName = StandInData.FullName(citizen),
                birthDate = StandInData.BirthDate(citizen).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                purpose = "1.010819",
            }), TestContext.Current.CancellationToken);
        }

        var secrets = Secrets();
        var lines = logs.Lines.ToList();

        Assert.True(lines.Count > 500, $"only {lines.Count} log lines were captured");
        Assert.Contains(lines, l => l.Contains("******", StringComparison.Ordinal));
        var leaks = lines.SelectMany(line => secrets.Where(s => line.Contains(s, StringComparison.OrdinalIgnoreCase)).Select(s => $"'{s}' in: {line}")).Take(5).ToList();
        Assert.True(leaks.Count == 0, string.Join(Environment.NewLine, leaks));
    }

    /// <summary>Every citizen's ID, old ID card number and full name, from the population data and the feed.</summary>
    private static IReadOnlyList<string> Secrets()
    {
        var secrets = new HashSet<string>(StringComparer.Ordinal);
        foreach (var citizen in StandInData.Citizens)
        {
            secrets.Add((string)citizen["SoDinhDanh"]!);
            if ((string?)citizen["SoCMND"] is { Length: > 0 } oldCard)
            {
                secrets.Add(oldCard);
            }

            secrets.Add(StandInData.FullName(citizen));
        }

        foreach (var item in StandInData.Submissions.Where(s => (string?)s["LoaiDoiTuong"] == "1"))
        {
            if ((string?)item["SoGiayToChuHoSo"] is { Length: >= 9 } id)
            {
                secrets.Add(id);
            }

            if ((string?)item["ChuHoSo"] is { } name && name.Trim().Contains(' ', StringComparison.Ordinal))
            {
                secrets.Add(name.Trim());
            }
        }

        return [.. secrets];
    }
}
