using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using IntegrationHub.StandIns;

namespace IntegrationHub.Testing;

/// <summary>
/// What the stand-ins hold: the connector settings that point the hub at them, their synthetic data
/// (<c>mocks/data/</c>) and what must happen to each portal submission.
/// </summary>
public static class StandInData
{
    private static readonly Lazy<IReadOnlyList<JsonObject>> CitizenList = new(() => ReadArray("citizens.json", "citizens"));
    private static readonly Lazy<IReadOnlyList<JsonObject>> SubmissionList = new(() => ReadArray("submissions.json", "submissions"));
    private static readonly Lazy<IReadOnlyList<ExpectedSubmission>> ExpectedList = new(() => ReadExpected("submissions.expected.json"));
    private static readonly Lazy<IReadOnlyList<ExpectedSubmission>> BulkExpectedList = new(() => ReadExpected(Path.Combine("bulk", "submissions.expected.json")));

    /// <summary>The agency code the portal stand-in accepts as <c>madonvi</c> (any well-formed one is accepted).</summary>
    public const string AgencyCode = StandInSystems.AgencyCode;

    /// <summary>The agency code (<c>madonvi</c>) the portal stand-in serves its bulk feed of 1,000 submissions to, in pages of 100.</summary>
    public const string BulkAgencyCode = "000.00.01.H26";

    /// <summary>
    /// The <c>Connectors:*</c> settings for the portal, the population database and the land and
    /// business systems at a stand-in server, with the credentials the stand-ins accept. Resilience
    /// settings are left to their defaults.
    /// </summary>
    public static Dictionary<string, string?> ConnectorSettings(Uri standIns) => StandInSystems.ConnectorSettings(standIns);

    /// <summary>The population stand-in's citizens, each as its reply carries the record (<c>mocks/data/citizens.json</c>).</summary>
    public static IReadOnlyList<JsonObject> Citizens => CitizenList.Value;

    /// <summary>The portal stand-in's feed, in order, in the portal's wire format (<c>mocks/data/submissions.json</c>).</summary>
    public static IReadOnlyList<JsonObject> Submissions => SubmissionList.Value;

    /// <summary>What must happen to each submission of the feed (<c>mocks/data/submissions.expected.json</c>).</summary>
    public static IReadOnlyList<ExpectedSubmission> Expected => ExpectedList.Value;

    /// <summary>What must happen to each submission of the bulk feed (<c>mocks/data/bulk/submissions.expected.json</c>): the sample's outcomes, under new codes.</summary>
    public static IReadOnlyList<ExpectedSubmission> BulkExpected => BulkExpectedList.Value;

    /// <summary>A citizen's record by personal ID.</summary>
    public static JsonObject Citizen(string personalId) =>
        Citizens.FirstOrDefault(c => (string?)c["SoDinhDanh"] == personalId) ?? throw new ArgumentException($"No stand-in citizen has the ID {personalId}.", nameof(personalId));

    /// <summary>A citizen's full name as registered ("Ho ChuDem Ten").</summary>
    public static string FullName(JsonObject citizen)
    {
        ArgumentNullException.ThrowIfNull(citizen);
        var name = citizen["HoVaTen"]!;
        return string.Join(' ', new[] { (string?)name["Ho"], (string?)name["ChuDem"], (string?)name["Ten"] }.Where(p => !string.IsNullOrEmpty(p)));
    }

    /// <summary>A citizen's birth date.</summary>
    public static DateOnly BirthDate(JsonObject citizen)
    {
        ArgumentNullException.ThrowIfNull(citizen);
        return DateOnly.ParseExact((string)citizen["NgayThangNamSinh"]!, "yyyyMMdd", CultureInfo.InvariantCulture);
    }

    private static string DataFile(string name) => RepoPaths.InRepo("mocks", "data", name);

    private static IReadOnlyList<JsonObject> ReadArray(string file, string property) =>
        (JsonNode.Parse(File.ReadAllText(DataFile(file)))![property]!.AsArray()).Select(n => n!.AsObject()).ToList();

    private static IReadOnlyList<ExpectedSubmission> ReadExpected(string file)
    {
        using var stream = File.OpenRead(DataFile(file));
        var document = JsonDocument.Parse(stream);
        return document.RootElement.GetProperty("submissions").Deserialize<List<ExpectedSubmission>>(new JsonSerializerOptions(JsonSerializerDefaults.Web))
            ?? throw new InvalidDataException($"{file} has no submissions.");
    }
}

/// <summary>
/// What must happen to one submission of the portal stand-in's feed; see the notes of
/// <c>mocks/data/submissions.expected.json</c>.
/// </summary>
public sealed record ExpectedSubmission
{
    /// <summary>The item's 1-based position in the feed.</summary>
    public required int FeedPosition { get; init; }

    /// <summary>Its <c>MaHoSo</c>, when it has one.</summary>
    public string? PortalCode { get; init; }

    /// <summary><c>accepted</c>, <c>rejected</c>, <c>deadLetter</c> or <c>duplicate</c>.</summary>
    public required string Expect { get; init; }

    /// <summary>The status the portal is told: 2 (accepted) or 3 (not accepted).</summary>
    public int? PortalStatus { get; init; }

    /// <summary>For a dead letter: <c>intake</c> or <c>routing</c>.</summary>
    public string? Stage { get; init; }

    /// <summary><c>unreadable</c>, <c>conflictingDuplicate</c>, <c>unknownProcedure</c>, <c>malformedCitizenId</c>, <c>identityNotFound</c> or <c>identityMismatch</c>.</summary>
    public string? Reason { get; init; }

    /// <summary>The portal fields that cannot be read, or the identity fields that differ (<c>fullName</c>, <c>birthDate</c>).</summary>
    public IReadOnlyList<string> Fields { get; init; } = [];

    /// <summary>For a malformed citizen ID: the <c>CitizenIdRejection</c>, camelCase.</summary>
    public string? Rejection { get; init; }

    /// <summary>For a duplicate (or a conflicting one): the feed position of the first item with that code.</summary>
    public int? DuplicateOf { get; init; }

    /// <summary>For an accepted item: <c>match</c> (a citizen, looked up) or <c>notApplicable</c>.</summary>
    public string? IdentityCheck { get; init; }

    /// <summary>For an accepted item: when it was received (its <c>NgayNopHoSo</c>).</summary>
    public DateTimeOffset? ReceivedAt { get; init; }

    /// <summary>The procedure code.</summary>
    public string? ProcedureCode { get; init; }

    /// <summary>For an accepted item: the department that handles it.</summary>
    public string? Department { get; init; }

    /// <summary>For an accepted item: that department's queue.</summary>
    public string? Queue { get; init; }

    /// <summary>For an accepted item: the receiving branch.</summary>
    public string? ReceivingBranch { get; init; }

    /// <summary>For an accepted item: the sector system it is delivered to, if any.</summary>
    public string? SectorSystem { get; init; }

    /// <summary>For an accepted item: the routing table version.</summary>
    public string? RoutingTableVersion { get; init; }
}
