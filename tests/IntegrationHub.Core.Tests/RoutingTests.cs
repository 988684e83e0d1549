using System.Text;
using IntegrationHub.Core.Routing;

namespace IntegrationHub.Core.Tests;

[Trait("Category", "Unit")]
public sealed class RoutingTests
{
    private const string RegisterSoleProprietorship = "1.001612";
    private const string RegisterLandChange = "1.012756";
    private const string JudicialRecord = "1.010819";

    private static ReferenceData CreateSut() => ReferenceDataFiles.Default;

    [Fact]
    public void Route_LandProcedureReceivedAtCauGiay_GoesToTheLandRegistrationOffice()
    {
        var route = CreateSut().Route(RegisterLandChange, Vn(2025, 1, 6, 10), handedInAt: "CAUGIAY");

        Assert.Equal("VPDKDD", route.Department.Code);
        Assert.Equal("dept-vpdkdd", route.Queue);
        Assert.Equal("CAUGIAY", route.ReceivingBranch);
        Assert.Equal("land", route.SectorSystem);
    }

    [Fact]
    public void Route_JusticeProcedureReceivedAtCauGiay_GoesToJusticeReceivedByTayHo()
    {
        // Dossiers are accepted regardless of where they are handed in; Tây Hồ receives for Justice.
        var route = CreateSut().Route(JudicialRecord, Vn(2025, 1, 6, 10), handedInAt: "CAUGIAY");

        Assert.Equal("STP", route.Department.Code);
        Assert.Equal("TAYHO", route.ReceivingBranch);
        Assert.Null(route.SectorSystem);
    }

    [Fact]
    public void Route_ByTheTableInForceAtReceipt_FollowsThe2025Merger()
    {
        var before = CreateSut().Route(RegisterSoleProprietorship, Vn(2025, 2, 28, 23, 59));
        var after = CreateSut().Route(RegisterSoleProprietorship, Vn(2025, 3, 1, 0, 1));

        Assert.Equal(("SKHDT", "2024-12-01", "business"), (before.Department.Code, before.TableVersion, before.SectorSystem));
        Assert.Equal(("STC", "2025-03-01", "business"), (after.Department.Code, after.TableVersion, after.SectorSystem));
    }

    [Fact]
    public void Route_UnknownProcedure_IsARoutingErrorNamingIt()
    {
        var error = Assert.Throws<RoutingException>(() => CreateSut().Route("1.999999", Vn(2025, 1, 6, 10)));

        Assert.Equal(RoutingError.UnknownProcedure, error.Error);
        Assert.Equal("1.999999", error.Subject);
        Assert.Contains("1.999999", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Route_BeforeAnyTableIsInForce_IsARoutingErrorNamingTheDay()
    {
        var error = Assert.Throws<RoutingException>(() => CreateSut().Route(JudicialRecord, Vn(2024, 11, 30, 10)));

        Assert.Equal(RoutingError.NoTableInForce, error.Error);
        Assert.Contains("2024-11-30", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Route_UnknownBranch_IsARoutingErrorNamingIt()
    {
        var error = Assert.Throws<RoutingException>(() => CreateSut().Route(JudicialRecord, Vn(2025, 1, 6, 10), handedInAt: "HOANKIEM"));

        Assert.Equal(RoutingError.UnknownBranch, error.Error);
        Assert.Contains("HOANKIEM", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Route_DepartmentMissingFromTheVersionInForce_IsARoutingErrorNamingIt()
    {
        var shipped = CreateSut();
        var table = Table("""
            { "versions": [ { "version": "v1", "validFrom": "2024-01-01", "source": "test",
              "branches": [ { "code": "TAYHO", "name": "Tây Hồ" } ],
              "departments": [ { "code": "STP", "name": "Sở Tư pháp", "queue": "dept-stp", "branches": [ "TAYHO" ] } ] } ] }
            """);
        var onlyJustice = ReferenceData.Create(new Procedures.ProcedureCatalogue(shipped.Procedures.All.Where(p => p.Department == "STP")), table, shipped.Calendar);
        var withLand = new Procedures.ProcedureCatalogue(shipped.Procedures.All.Where(p => p.Department is "STP" or "VPDKDD"));

        var creating = Assert.Throws<InvalidDataException>(() => ReferenceData.Create(withLand, table, shipped.Calendar));

        Assert.Contains("'VPDKDD'", creating.Message, StringComparison.Ordinal);
        Assert.Equal("STP", onlyJustice.Route(JudicialRecord, Vn(2025, 1, 6, 10)).Department.Code);
    }

    [Fact]
    public void Reloadable_ReplacedReferenceData_RoutesTheNextDossierByTheNewTable()
    {
        var shipped = CreateSut();
        var data = new Reloadable<ReferenceData>(shipped);
        var moved = Table(File.ReadAllText(RepoPaths.DataFile("routing.json")).Replace("\"dept-stp\"", "\"dept-stp-new\"", StringComparison.Ordinal));

        var before = data.Current.Route(JudicialRecord, Vn(2025, 6, 2, 10));
        data.Replace(ReferenceData.Create(shipped.Procedures, moved, shipped.Calendar));
        var after = data.Current.Route(JudicialRecord, Vn(2025, 6, 2, 10));

        Assert.Equal("dept-stp", before.Queue);
        Assert.Equal("dept-stp-new", after.Queue);
    }

    [Theory]
    [InlineData("""{ "versions": [ { "version": "a", "validFrom": "2024-01-01", "source": "t", "branches": [], "departments": [] }, { "version": "b", "validFrom": "2024-06-01", "source": "t", "branches": [], "departments": [] } ] }""", "overlap")]
    [InlineData("""{ "versions": [ { "version": "a", "validFrom": "2024-01-01", "source": "t", "branches": [], "departments": [ { "code": "X", "mergedInto": "Y" } ] } ] }""", "'Y'")]
    [InlineData("""{ "versions": [ { "version": "a", "validFrom": "2024-01-01", "source": "t", "branches": [], "departments": [ { "code": "X", "name": "x", "queue": "q", "branches": [ "NOWHERE" ] } ] } ] }""", "'NOWHERE'")]
    [InlineData("""{ "versions": [ { "version": "a", "validFrom": "2024-01-01", "source": "t", "branches": [], "departments": [ { "code": "X", "mergedInto": "Z" }, { "code": "Z", "mergedInto": "X" } ] } ] }""", "circle")]
    public void Load_InconsistentTable_IsRefusedSayingWhy(string json, string expected)
    {
        var error = Assert.Throws<InvalidDataException>(() => Table(json));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ShippedData_CoversEveryDepartmentOfTheDomainWithAtLeastFortyProcedures()
    {
        var data = CreateSut();
        var pilot = data.Routing.Versions[0];

        Assert.True(data.Procedures.All.Count >= 40, $"only {data.Procedures.All.Count} procedures");
        Assert.Equal(21, pilot.Departments.Count);
        Assert.All(pilot.Departments, d => Assert.Contains(data.Procedures.All, p => p.Department == d.Code));
        Assert.All(data.Procedures.All, p =>
        {
            var route = data.Route(p.Code, Vn(2025, 1, 6, 10));
            Assert.StartsWith("dept-", route.Queue, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Find_LocalVariantOfANationalCode_FindsTheNationalProcedure()
    {
        var procedure = CreateSut().Procedures.Find("1.001612.000.00.00.H26");

        Assert.NotNull(procedure);
        Assert.Equal(RegisterSoleProprietorship, procedure.Code);
    }

    private static RoutingTable Table(string json) => RoutingTable.Load(new MemoryStream(Encoding.UTF8.GetBytes(json)));
}
