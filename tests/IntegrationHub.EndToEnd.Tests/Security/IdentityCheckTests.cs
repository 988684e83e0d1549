using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using IntegrationHub.StandIns;

namespace IntegrationHub.EndToEnd.Tests.Security;

/// <summary>An officer checks identities against the population stand-in: minimal answers, every lookup audited.</summary>
[Trait("Category", "Security")]
[Collection(EndToEnd.Collection)]
public sealed class IdentityCheckTests(IdentityHub identity) : IClassFixture<IdentityHub>
{
    private const string Population = "/csdldc/api/TraCuuThongTinCongDan";

    [Fact]
    public async Task Verify_MatchingCitizenForAProcedure_AnswersMatchWithOnlyTheFieldsThatPurposeAllows()
    {
        var citizen = StandInData.Citizens[10];

        var result = await VerifyAsync(citizen, "1.010819");

        Assert.Equal("match", (string?)result["outcome"]);
        var prefill = result["prefill"]!.AsObject();
        Assert.Equal(StandInData.FullName(citizen), (string?)prefill["fullName"]);
        Assert.NotNull(prefill["permanentAddress"]);
        Assert.Null(prefill["ethnicity"]);
        Assert.Null(prefill["nationality"]);
        Assert.Null(prefill["homeTown"]);
    }

    [Fact]
    public async Task Verify_NarrowPurpose_ReturnsNothingButTheName()
    {
        var result = await VerifyAsync(StandInData.Citizens[11], IdentityHub.NarrowPurpose);

        Assert.Equal("match", (string?)result["outcome"]);
        Assert.Equal(new[] { "fullName" }, result["prefill"]!.AsObject().Select(p => p.Key).ToArray());
    }

    [Fact]
    public async Task Verify_WrongBirthDate_AnswersMismatchNamingTheFieldWithoutAnyPrefill()
    {
        var citizen = StandInData.Citizens[12];
        var wrong = StandInData.BirthDate(citizen).AddDays(1);

        var result = await VerifyAsync(citizen, "1.010819", birthDate: wrong);

        Assert.Equal("mismatch", (string?)result["outcome"]);
        Assert.Equal(new[] { "birthDate" }, result["mismatchedFields"]!.AsArray().Select(f => (string)f!).ToArray());
        Assert.Null(result["prefill"]);
    }

    [Fact]
    public async Task Verify_CitizenTheDatabaseDoesNotKnow_AnswersNotFound()
    {
        var known = StandInData.Citizens.Select(c => (string)c["SoDinhDanh"]!).ToHashSet();
        var unknown = Enumerable.Range(100000, 1000).Select(n => $"001090{n:D6}").First(id => !known.Contains(id));

        var response = await identity.Officer().PostAsJsonAsync(new Uri("/api/identity/verifications", UriKind.Relative), new { citizenId = unknown, fullName = "Nguyễn Văn Không", birthDate = "1990-05-05", purpose = "1.010819" }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("notFound", (string?)(await response.Content.ReadFromJsonAsync<JsonObject>(TestContext.Current.CancellationToken))!["outcome"]);
    }

    [Fact]
    public async Task Verify_SameQuestionTwice_SecondIsAnsweredFromTheCacheAndBothAreAudited()
    {
        var citizen = StandInData.Citizens[13];
        var asked = identity.Scope.Requests(Population).Count;

        var first = await VerifyAsync(citizen, "1.010819", officer: "officer-cache");
        var second = await VerifyAsync(citizen, "1.010819", officer: "officer-cache");

        Assert.Equal(asked + 1, identity.Scope.Requests(Population).Count);
        Assert.Equal((string?)first["checkedAt"], (string?)second["checkedAt"]);
        var lookups = await LookupsAsync($"citizenId={citizen["SoDinhDanh"]}");
        Assert.Equal(2, lookups.Count);
        Assert.Equal([false, true], lookups.OrderBy(l => (string?)l["at"]).Select(l => (bool)l["fromCache"]!).ToArray());
        Assert.All(lookups, l => Assert.Equal("match", (string?)l["outcome"]));
    }

    [Fact]
    public async Task Verify_PopulationDatabaseDown_Answers503AndTheLookupIsStillAudited()
    {
        var citizen = StandInData.Citizens[14];
        identity.Scope.Fail("POST", Population, StandInFaults.Status503RetryAfter.WithRetryAfter("1"));
        HttpResponseMessage response;
        try
        {
            response = await identity.Officer("officer-outage").PostAsJsonAsync(new Uri("/api/identity/verifications", UriKind.Relative), Question(citizen, "1.010819"), TestContext.Current.CancellationToken);
        }
        finally
        {
            identity.Scope.Clear();
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Equal("/problems/upstream-unavailable", (string?)(await response.Content.ReadFromJsonAsync<JsonObject>(TestContext.Current.CancellationToken))!["type"]);
        var audited = Assert.Single(await LookupsAsync($"citizenId={citizen["SoDinhDanh"]}"));
        Assert.Equal("unavailable", (string?)audited["outcome"]);
        Assert.Equal("officer-outage", (string?)audited["officer"]);
    }

    [Fact]
    public async Task Lookups_ByOfficer_ShowWhoAskedForWhatWithMaskedIdsOnly()
    {
        var citizen = StandInData.Citizens[15];
        await VerifyAsync(citizen, "1.010819", officer: "officer-audit");

        var lookups = await LookupsAsync("officer=officer-audit");

        var lookup = Assert.Single(lookups);
        var id = (string)citizen["SoDinhDanh"]!;
        Assert.Equal($"{id[..3]}******{id[^3..]}", (string?)lookup["citizenId"]);
        Assert.Equal("1.010819", (string?)lookup["purpose"]);
        Assert.Equal("Bộ phận Một cửa Tây Hồ", (string?)lookup["unit"]);
        Assert.DoesNotContain(id, lookup.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lookups_AskedByAnOfficer_Are403ForTheAuditorRoleOnly()
    {
        var response = await identity.Officer().GetAsync(new Uri("/api/identity/lookups?officer=officer-01", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("auditor", (string?)(await response.Content.ReadFromJsonAsync<JsonObject>(TestContext.Current.CancellationToken))!["requiredRole"]);
    }

    [Theory]
    [InlineData("00109001234A", "1.010819", "validation-failed", "citizenId")]
    [InlineData("001090012345", "1.010819", "validation-failed", "citizenId")] // encodes 1990, birth date says 1991
    [InlineData("001090012345", "reading-for-curiosity", "unknown-purpose", "purpose")]
    public async Task Verify_BadQuestion_Is400NamingTheFieldAndAsksNobody(string citizenId, string purpose, string problem, string field)
    {
        var asked = identity.Scope.Requests(Population).Count;

        var response = await identity.Officer().PostAsJsonAsync(new Uri("/api/identity/verifications", UriKind.Relative), new { citizenId, fullName = "Trần Văn An", birthDate = "1991-01-01", purpose }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>(TestContext.Current.CancellationToken))!;
        Assert.Equal($"/problems/{problem}", (string?)body["type"]);
        Assert.Contains(body["errors"]!.AsArray(), e => ((string?)e!["field"])!.StartsWith(field, StringComparison.Ordinal));
        Assert.Equal(asked, identity.Scope.Requests(Population).Count);
    }

    [Fact]
    public async Task Store_AfterIdentityChecks_HoldsNoRawCitizenId()
    {
        var citizen = StandInData.Citizens[16];
        await VerifyAsync(citizen, "1.010819");
        await VerifyAsync(citizen, IdentityHub.NarrowPurpose);

        var id = Encoding.UTF8.GetBytes((string)citizen["SoDinhDanh"]!);
        // Every file but the instance lock, which is empty and held exclusively by the running hub.
        var files = Directory.GetFiles(Path.GetDirectoryName(identity.DatabasePath)!).Where(f => !f.EndsWith(".lock", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(files);
        Assert.All(files, file =>
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            Assert.True(copy.ToArray().AsSpan().IndexOf(id) < 0, $"{Path.GetFileName(file)} holds a raw citizen ID");
        });
    }

    private async Task<JsonObject> VerifyAsync(JsonObject citizen, string purpose, DateOnly? birthDate = null, string officer = "officer-01")
    {
        var response = await identity.Officer(officer).PostAsJsonAsync(new Uri("/api/identity/verifications", UriKind.Relative), Question(citizen, purpose, birthDate));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private static object Question(JsonObject citizen, string purpose, DateOnly? birthDate = null) => new
    {
        citizenId = (string)citizen["SoDinhDanh"]!,
        fullName = StandInData.FullName(citizen),
        birthDate = (birthDate ?? StandInData.BirthDate(citizen)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        purpose,
    };

    private async Task<IReadOnlyList<JsonObject>> LookupsAsync(string query)
    {
        using var auditor = identity.Hub.ClientWith(identity.Keys.Token(["auditor"], subject: "auditor-01"));
        var page = await auditor.GetFromJsonAsync<JsonObject>(new Uri($"/api/identity/lookups?{query}", UriKind.Relative));
        return [.. page!["lookups"]!.AsArray().Select(l => l!.AsObject())];
    }
}
