using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using IntegrationHub.Connectors.Portal;
using IntegrationHub.Connectors.Wire;
using IntegrationHub.Core;
using IntegrationHub.Core.Identity;
using IntegrationHub.Core.Routing;
using IntegrationHub.Schemas;

namespace IntegrationHub.Connectors.Tests;

/// <summary>
/// The stand-ins' synthetic data is what the issue asks for, and the expectations manifest agrees
/// with the hub's own rules (the manifest is built by a separate implementation, mocks/tools/build.js).
/// </summary>
[Trait("Category", "Contract")]
public sealed class StandInDataTests
{
    [Fact]
    public void Citizens_TwoHundredOrMoreWithWellFormedIdsAcrossManyProvinces()
    {
        var citizens = StandInData.Citizens;

        Assert.True(citizens.Count >= 200, $"{citizens.Count} citizens");
        Assert.Equal(citizens.Count, citizens.Select(c => (string?)c["SoDinhDanh"]).Distinct().Count());
        Assert.True(citizens.Select(c => ((string)c["SoDinhDanh"]!)[..3]).Distinct().Count() >= 20);
        foreach (var citizen in citizens)
        {
            var id = (string)citizen["SoDinhDanh"]!;
            var sex = (string?)citizen["GioiTinh"] == "1" ? Sex.Male : Sex.Female;
            var check = CitizenId.Check(id, StandInData.BirthDate(citizen), sex, new DateOnly(2025, 12, 31));
            Assert.True(check.IsValid, $"{CitizenId.Mask(id)}: {check.Reason}");
            Assert.Equal(id[1..3], (string?)citizen["NoiDangKyKhaiSinh"]!["MaTinh"]);
            Assert.All(new[] { "ThuongTru", "NoiOHienTai", "QueQuan" }, a => Assert.False(string.IsNullOrEmpty((string?)citizen[a]!["TenTinh"])));
        }

        Assert.True(citizens.Count(c => StandInData.FullName(c).Any(ch => ch > 127)) >= citizens.Count * 9 / 10, "most names have diacritics");
    }

    [Fact]
    public void Submissions_FiftyOrMoreAcrossTheCatalogueChannelsBranchesApplicantsAndHours()
    {
        var data = ReferenceDataFiles.Default;
        var items = StandInData.Submissions;

        Assert.True(items.Count >= 50, $"{items.Count} submissions");
        var codes = items.Select(i => (string?)i["MaTTHC"]).Where(c => c is not null).ToList();
        Assert.True(codes.Distinct().Count(c => data.Procedures.Find(c!) is not null) >= 30);
        Assert.Equal(["1.999999", "2.000002"], codes.Where(c => data.Procedures.Find(c!) is null).Order());
        Assert.Equal(["1", "2", "3"], items.Select(i => (string?)i["KenhThucHien"]).Distinct().Order());
        Assert.Equal(["1", "2", "3", "4"], items.Select(i => (string?)i["LoaiDoiTuong"]).Distinct().Order());
        Assert.Equal(["CAUGIAY", "TAYHO"], items.Select(i => (string?)i["DonViTiepNhan"]).Where(b => b is not null).Distinct().Order());

        var times = items.Where(i => ((string?)i["NgayNopHoSo"])?.Length == 14).Select(SubmittedAt).ToList();
        Assert.Contains(times, t => data.Calendar.StartOfCount(t) == t);
        Assert.Contains(times, t => data.Calendar.StartOfCount(t) != t);
        Assert.All(times, t => Assert.NotNull(data.Routing.VersionAt(t)));
        Assert.Contains(times, t => !data.Calendar.IsWorkingDay(VietnamTime.DateOf(t)));

        // Counters are open only in working hours: in-person submissions fall in working time.
        Assert.All(items.Where(i => (string?)i["KenhThucHien"] == "1").Select(SubmittedAt), t => Assert.Equal(t, data.Calendar.StartOfCount(t)));
    }

    private static DateTimeOffset SubmittedAt(JsonObject item) =>
        new(DateTime.ParseExact((string)item["NgayNopHoSo"]!, "yyyyMMddHHmmss", CultureInfo.InvariantCulture), VietnamTime.Offset);

    [Fact]
    public void Manifest_HasEveryKindOfBadSubmission()
    {
        var bad = StandInData.Expected.Where(e => e.Expect != "accepted").ToList();

        Assert.Contains(bad, e => e.Reason == "malformedCitizenId");
        Assert.Contains(bad, e => e.Reason == "unknownProcedure");
        Assert.Contains(bad, e => e.Expect == "duplicate");
        Assert.Contains(bad, e => e is { Reason: "unreadable" } && e.Fields.Contains("ChuHoSo"));
        Assert.Contains(bad, e => e.Reason == "identityMismatch" && e.Fields.Contains("fullName"));
        Assert.Contains(bad, e => e.Reason == "identityMismatch" && e.Fields.Contains("birthDate"));
        Assert.Contains(bad, e => e.Reason == "identityNotFound");
        Assert.True(StandInData.Expected.Count(e => e.Expect == "accepted") >= 40);
    }

    [Fact]
    public void Manifest_AgreesWithTheHubsOwnRules()
    {
        var data = ReferenceDataFiles.Default;
        var firstSeen = new Dictionary<string, int>(StringComparer.Ordinal);
        Assert.Equal(StandInData.Submissions.Count, StandInData.Expected.Count);

        for (var i = 0; i < StandInData.Submissions.Count; i++)
        {
            var item = StandInData.Submissions[i];
            var expected = StandInData.Expected[i];
            Assert.Equal(i + 1, expected.FeedPosition);
            var (submission, problem) = PortalMapping.ToSubmission(item.Deserialize<PortalDossier>(WireJson.Options)!);

            if (submission is null)
            {
                Assert.Equal(("deadLetter", "intake", "unreadable"), (expected.Expect, expected.Stage, expected.Reason));
                Assert.Equal(expected.Fields, problem!.Split("; ").Select(p => p.Split(':')[0]));
                continue;
            }

            if (firstSeen.TryGetValue(submission.PortalCode, out var first))
            {
                // Listed again: with the same content it is a duplicate; with other content a dead letter.
                var same = StandInData.Submissions[first - 1].ToJsonString() == item.ToJsonString();
                Assert.Equal(same ? ("duplicate", first) : ("deadLetter", first), (expected.Expect, expected.DuplicateOf!.Value));
                continue;
            }

            firstSeen[submission.PortalCode] = expected.FeedPosition;
            var applicant = submission.Applicant;
            if (applicant.Kind == ApplicantKind.Citizen)
            {
                var check = CitizenId.Check(applicant.IdNumber, applicant.BirthDate, applicant.Sex);
                if (!check.IsValid)
                {
                    Assert.Equal(("rejected", 3, "malformedCitizenId"), (expected.Expect, expected.PortalStatus!.Value, expected.Reason));
                    Assert.Equal(JsonNamingPolicy.CamelCase.ConvertName(check.Rejection!.Value.ToString()), expected.Rejection);
                    continue;
                }

                var citizen = StandInData.Citizens.FirstOrDefault(c => (string?)c["SoDinhDanh"] == applicant.IdNumber);
                if (citizen is null)
                {
                    Assert.Equal(("rejected", 3, "identityNotFound"), (expected.Expect, expected.PortalStatus!.Value, expected.Reason));
                    continue;
                }

                var differ = new List<string>();
                if (VietnameseText.Fold(StandInData.FullName(citizen)) != VietnameseText.Fold(applicant.Name))
                {
                    differ.Add("fullName");
                }

                if (StandInData.BirthDate(citizen) != applicant.BirthDate)
                {
                    differ.Add("birthDate");
                }

                if (differ.Count > 0)
                {
                    Assert.Equal(("rejected", 3, "identityMismatch"), (expected.Expect, expected.PortalStatus!.Value, expected.Reason));
                    Assert.Equal(differ, expected.Fields);
                    continue;
                }
            }

            Route route;
            try
            {
                route = data.Route(submission.ProcedureCode, submission.SubmittedAt, submission.Channel == Channel.Online ? null : submission.ReceivingBranch);
            }
            catch (RoutingException ex) when (ex.Error == RoutingError.UnknownProcedure)
            {
                Assert.Equal(("deadLetter", "routing", "unknownProcedure"), (expected.Expect, expected.Stage, expected.Reason));
                continue;
            }

            Assert.Equal("accepted", expected.Expect);
            Assert.Equal(2, expected.PortalStatus);
            Assert.Equal(applicant.Kind == ApplicantKind.Citizen ? "match" : "notApplicable", expected.IdentityCheck);
            Assert.Equal(submission.SubmittedAt, expected.ReceivedAt);
            Assert.Equal(
                (route.Department.Code, route.Queue, route.ReceivingBranch, route.SectorSystem, route.TableVersion),
                (expected.Department, expected.Queue, expected.ReceivingBranch, expected.SectorSystem, expected.RoutingTableVersion));
        }
    }

    [Fact]
    public void Manifest_RoutesAcrossTheMergersOfMarch2025()
    {
        var business = StandInData.Expected.Where(e => e.SectorSystem == "business").ToList();

        Assert.Contains(business, e => e is { Department: "SKHDT", RoutingTableVersion: "2024-12-01" });
        Assert.Contains(business, e => e is { Department: "STC", RoutingTableVersion: "2025-03-01" });
        Assert.Contains(StandInData.Expected, e => e is { Department: "SXD", RoutingTableVersion: "2025-03-01", ProcedureCode: "1.002804" });
    }

    [Fact]
    public void ResponseFiles_EveryOneASuccessfulGatewayReplyAndEveryCitizenAndDossierHasOne()
    {
        var files = Directory.EnumerateFiles(RepoPaths.InRepo("mocks", "__files"), "*.json", SearchOption.AllDirectories).ToList();

        Assert.All(files, file =>
        {
            var reply = JsonNode.Parse(File.ReadAllText(file))!;
            Assert.Equal("0", (string?)reply["error_code"]);
            Assert.False(string.IsNullOrEmpty((string?)reply["message"]), $"{file} has no message");
        });
        Assert.Equal(
            StandInData.Citizens.Select(c => (string)c["SoDinhDanh"]!).Order(),
            files.Where(f => f.Contains("/population/citizens/", StringComparison.Ordinal)).Select(Path.GetFileNameWithoutExtension).Order());
        Assert.Equal(
            StandInData.Submissions.Select(s => (string?)s["MaHoSo"]).OfType<string>().Distinct().Order(),
            files.Where(f => f.Contains("/portal/dossiers/", StringComparison.Ordinal)).Select(Path.GetFileNameWithoutExtension).Order());
    }
}
