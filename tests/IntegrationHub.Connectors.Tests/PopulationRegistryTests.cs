using System.Globalization;
using System.Text.Json.Nodes;
using IntegrationHub.Core.Gateways;
using IntegrationHub.Core.Identity;
using IntegrationHub.Schemas;

namespace IntegrationHub.Connectors.Tests;

[Trait("Category", "Contract")]
public sealed class PopulationRegistryTests(StandInsFixture standIns) : IClassFixture<StandInsFixture>
{
    private const string Lookup = "/csdldc/api/TraCuuThongTinCongDan";
    private static readonly CallerInfo Officer = new("canbo.tayho.017", "Chi nhánh Tây Hồ", "1.010819", "LOOKUP-2025-000123");

    // A citizen whose name has diacritics in every part, so that folding is tested for real.
    private static readonly JsonObject Citizen = StandInData.Citizens.First(c => StandInData.FullName(c).Split(' ').All(p => p.Any(ch => ch > 127)));

    [Fact]
    public async Task Verify_IdentityMatches_MatchWithOnlyTheWantedPrefillFields()
    {
        using var scope = standIns.CreateScope();
        await using var host = ConnectorHost.Create(scope);

        var result = await host.Population.VerifyAsync(Query(), new HashSet<PrefillField> { PrefillField.FullName, PrefillField.PermanentAddress }, CancellationToken.None);

        Assert.Equal(IdentityOutcome.Match, result.Outcome);
        Assert.Empty(result.MismatchedFields);
        var prefill = Assert.IsType<IdentityPrefill>(result.Prefill);
        Assert.Equal(StandInData.FullName(Citizen), prefill.FullName);
        var permanent = Citizen["ThuongTru"]!;
        Assert.Equal(string.Join(", ", new[] { "ChiTiet", "TenXa", "TenHuyen", "TenTinh" }.Select(k => (string?)permanent[k]).Where(p => p is not null)), prefill.PermanentAddress);
        Assert.Equal(new IdentityPrefill { FullName = prefill.FullName, PermanentAddress = prefill.PermanentAddress }, prefill);
    }

    [Fact]
    public async Task Verify_EveryPrefillFieldWanted_AllFilledFromTheRecord()
    {
        using var scope = standIns.CreateScope();
        await using var host = ConnectorHost.Create(scope);

        var result = await host.Population.VerifyAsync(Query(), Enum.GetValues<PrefillField>().ToHashSet(), CancellationToken.None);

        var prefill = result.Prefill!;
        Assert.Equal((string?)Citizen["GioiTinh"] == "1" ? Sex.Male : Sex.Female, prefill.Sex);
        Assert.Equal("Việt Nam", prefill.Nationality);
        Assert.Equal((string?)Citizen["DanToc"]!["Ten"], prefill.Ethnicity);
        Assert.NotNull(prefill.CurrentAddress);
        Assert.StartsWith((string?)Citizen["QueQuan"]!["ChiTiet"], prefill.HomeTown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_NameInCapitalsWithoutDiacritics_Match()
    {
        using var scope = standIns.CreateScope();
        await using var host = ConnectorHost.Create(scope);
        var plain = Folded(StandInData.FullName(Citizen));

        var result = await host.Population.VerifyAsync(Query() with { FullName = $" {plain.Replace(" ", "  ", StringComparison.Ordinal)} " }, new HashSet<PrefillField>(), CancellationToken.None);

        Assert.Equal(IdentityOutcome.Match, result.Outcome);
    }

    [Fact]
    public async Task Verify_AnotherGivenName_MismatchNamingFullNameAndNoPrefill()
    {
        using var scope = standIns.CreateScope();
        await using var host = ConnectorHost.Create(scope);

        var result = await host.Population.VerifyAsync(Query() with { FullName = StandInData.FullName(Citizen) + " Anh" }, new HashSet<PrefillField> { PrefillField.FullName }, CancellationToken.None);

        Assert.Equal(IdentityOutcome.Mismatch, result.Outcome);
        Assert.Equal([IdentityField.FullName], result.MismatchedFields);
        Assert.Null(result.Prefill);
    }

    [Fact]
    public async Task Verify_AnotherBirthDate_MismatchNamingBirthDate()
    {
        using var scope = standIns.CreateScope();
        await using var host = ConnectorHost.Create(scope);

        var result = await host.Population.VerifyAsync(Query() with { BirthDate = StandInData.BirthDate(Citizen).AddDays(1) }, new HashSet<PrefillField> { PrefillField.Sex }, CancellationToken.None);

        Assert.Equal(IdentityOutcome.Mismatch, result.Outcome);
        Assert.Equal([IdentityField.BirthDate], result.MismatchedFields);
        Assert.Null(result.Prefill);
    }

    [Fact]
    public async Task Verify_NameAndBirthDateDiffer_MismatchNamingBoth()
    {
        using var scope = standIns.CreateScope();
        await using var host = ConnectorHost.Create(scope);

        var result = await host.Population.VerifyAsync(Query() with { FullName = "Nguyễn Văn Không Có", BirthDate = new DateOnly(1999, 9, 9) }, new HashSet<PrefillField>(), CancellationToken.None);

        Assert.Equal([IdentityField.FullName, IdentityField.BirthDate], result.MismatchedFields);
    }

    [Fact]
    public async Task Verify_IdTheDatabaseDoesNotHold_NotFound()
    {
        using var scope = standIns.CreateScope();
        await using var host = ConnectorHost.Create(scope);
        var unknown = Enumerable.Range(0, 1000).Select(i => $"001190{i:D6}").First(id => StandInData.Citizens.All(c => (string?)c["SoDinhDanh"] != id));

        var result = await host.Population.VerifyAsync(Query() with { CitizenId = unknown }, new HashSet<PrefillField> { PrefillField.FullName }, CancellationToken.None);

        Assert.Equal(IdentityOutcome.NotFound, result.Outcome);
        Assert.Empty(result.MismatchedFields);
        Assert.Null(result.Prefill);
    }

    [Fact]
    public async Task Verify_Request_CarriesTheFoldedNameTheIdTheBirthDateAndWhoAsksAndNothingElse()
    {
        using var scope = standIns.CreateScope();
        await using var host = ConnectorHost.Create(scope);

        await host.Population.VerifyAsync(Query(), new HashSet<PrefillField>(), CancellationToken.None);

        var body = Assert.Single(scope.Requests(Lookup)).Json().AsObject();
        var born = StandInData.BirthDate(Citizen);
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["MaYeuCau"] = Officer.RequestId,
                ["MaTichHop"] = "LGSP-HNI-TTPVHCC",
                ["MaDichVu"] = "CSDLDC-TRACUU-CONGDAN",
                ["MaCanBo"] = Officer.OfficerCode,
                ["DonViYeuCau"] = Officer.Unit,
                ["MucDichSuDung"] = Officer.Purpose,
                ["SoDinhDanh"] = (string)Citizen["SoDinhDanh"]!,
                ["HoVaTen"] = Folded(StandInData.FullName(Citizen)),
                ["NgayThangNamSinh"] = born.ToString("yyyyMMdd", CultureInfo.InvariantCulture),
                ["NamSinh"] = born.Year.ToString(CultureInfo.InvariantCulture),
            },
            body.ToDictionary(p => p.Key, p => (string)p.Value!));
    }

    [Fact]
    public async Task Verify_Logs_MaskTheIdAndHoldNoNameOrBirthDate()
    {
        using var scope = standIns.CreateScope();
        await using var host = ConnectorHost.Create(scope);

        await host.Population.VerifyAsync(Query(), new HashSet<PrefillField> { PrefillField.FullName }, CancellationToken.None);
        await host.Population.VerifyAsync(Query() with { FullName = "Trần Thị Khác" }, new HashSet<PrefillField>(), CancellationToken.None);

        var id = (string)Citizen["SoDinhDanh"]!;
        Assert.Contains(CitizenId.Mask(id), host.Logs.All, StringComparison.Ordinal);
        Assert.DoesNotContain(id, host.Logs.All, StringComparison.Ordinal);
        Assert.DoesNotContain((string)Citizen["HoVaTen"]!["Ten"]!, host.Logs.All, StringComparison.Ordinal);
        Assert.DoesNotContain("Khác", host.Logs.All, StringComparison.Ordinal);
        Assert.DoesNotContain((string)Citizen["NgayThangNamSinh"]!, host.Logs.All, StringComparison.Ordinal);
        Assert.Contains(host.Logs.Lines, l => l.EventId == 4051 && l.Message.Contains("Mismatch (FullName)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Verify_NotATwelveDigitId_RefusedBeforeAnyRequest()
    {
        using var scope = standIns.CreateScope();
        await using var host = ConnectorHost.Create(scope);

        await Assert.ThrowsAsync<ArgumentException>(() => host.Population.VerifyAsync(Query() with { CitizenId = "01234567890" }, new HashSet<PrefillField>(), CancellationToken.None));

        Assert.Empty(scope.Requests());
    }

    [Fact]
    public async Task Verify_RecordWithAnUnreadableBirthDate_MalformedReplyNamingTheFieldButNotItsValue()
    {
        using var scope = standIns.CreateScope();
        var record = Citizen.DeepClone().AsObject();
        record["NgayThangNamSinh"] = "14/03/1990";
        scope.Stub("POST", Lookup, StandInReply.WithJson(200, new JsonObject { ["error_code"] = "0", ["message"] = "Thành công", ["MaYeuCau"] = Officer.RequestId, ["data"] = record }));
        await using var host = ConnectorHost.Create(scope);

        var error = await Assert.ThrowsAsync<GatewayException>(() => host.Population.VerifyAsync(Query(), new HashSet<PrefillField>(), CancellationToken.None));

        Assert.Equal(GatewayFailure.MalformedReply, error.Failure);
        Assert.Equal("population", error.System);
        Assert.Equal("$.data.NgayThangNamSinh", error.Field);
        Assert.DoesNotContain("14/03/1990", error.Message, StringComparison.Ordinal);
    }

    private static IdentityQuery Query() => new((string)Citizen["SoDinhDanh"]!, StandInData.FullName(Citizen), StandInData.BirthDate(Citizen), Officer);

    private static string Folded(string name) =>
        new string(name.Normalize(System.Text.NormalizationForm.FormD).Where(c => CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark).ToArray())
            .Replace('đ', 'd').Replace('Đ', 'D').ToUpperInvariant();
}
