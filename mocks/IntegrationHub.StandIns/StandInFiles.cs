using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace IntegrationHub.StandIns;

/// <summary>
/// What the stand-ins answer with, read once per <c>mocks</c> folder from the files
/// <c>mocks/tools</c> generates: the portal's feed pages, bulk feed pages, dossiers and procedure
/// catalogue (<c>__files/portal/</c>), the population database's citizens
/// (<c>__files/population/citizens/</c>) and the feed itself (<c>data/submissions.json</c>).
/// </summary>
internal sealed partial class StandInFiles
{
    private static readonly ConcurrentDictionary<string, Lazy<StandInFiles>> Loaded = new(StringComparer.Ordinal);

    private StandInFiles(string mocks)
    {
        var files = Path.Combine(mocks, "__files");
        Feed = FeedPages.Read(Path.Combine(files, "portal", "feed"));
        Bulk = FeedPages.Read(Path.Combine(files, "portal", "bulk"));
        BulkAgencyCode = (string?)ReadJson(Path.Combine(mocks, "data", "bulk", "submissions.expected.json"))["agencyCode"]
            ?? throw new InvalidDataException("data/bulk/submissions.expected.json has no agencyCode.");
        Dossiers = ReadFolder(Path.Combine(files, "portal", "dossiers"));
        Citizens = ReadFolder(Path.Combine(files, "population", "citizens"));
        Procedures = File.ReadAllBytes(Path.Combine(files, "portal", "procedures.json"));
        FeedCodes = ReadJson(Path.Combine(mocks, "data", "submissions.json"))["submissions"]!.AsArray()
            .Select(s => (string?)s?["MaHoSo"])
            .OfType<string>()
            .ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>The sample feed's pages (65 submissions in pages of 10, 20, 50 or 100).</summary>
    public FeedPages Feed { get; }

    /// <summary>The bulk feed's pages (1,000 submissions in pages of 100), served to <see cref="BulkAgencyCode"/> only.</summary>
    public FeedPages Bulk { get; }

    /// <summary>The agency code (<c>madonvi</c>) the bulk feed is served to.</summary>
    public string BulkAgencyCode { get; }

    /// <summary>The portal's lookup reply for each dossier of the feed, by code.</summary>
    public IReadOnlyDictionary<string, byte[]> Dossiers { get; }

    /// <summary>The population database's reply for each citizen, by personal ID.</summary>
    public IReadOnlyDictionary<string, byte[]> Citizens { get; }

    /// <summary>The portal's procedure catalogue reply.</summary>
    public byte[] Procedures { get; }

    /// <summary>The dossier codes of the sample feed, which the portal has.</summary>
    public IReadOnlySet<string> FeedCodes { get; }

    /// <summary>Whether the portal has a dossier: one of its feed, or one it pushed by webhook (<c>G22.99-W…</c>).</summary>
    public bool PortalHas(string? code) => code is not null && (FeedCodes.Contains(code) || PushedCode().IsMatch(code));

    /// <summary>Whether a code is one of the bulk feed's (<c>G22.98-yymmdd-RRnnnnnn</c>).</summary>
    public static bool IsBulkCode(string? code) => code is not null && BulkCode().IsMatch(code);

    /// <summary>The data of a <c>mocks</c> folder, read on first use.</summary>
    public static StandInFiles For(string mocks) =>
        Loaded.GetOrAdd(Path.GetFullPath(mocks), path => new Lazy<StandInFiles>(() => new StandInFiles(path))).Value;

    /// <summary>The <c>mocks</c> folder above the program: the first with <c>data/citizens.json</c>.</summary>
    public static string FindMocksFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var mocks = Path.Combine(dir.FullName, "mocks");
            if (File.Exists(Path.Combine(mocks, "data", "citizens.json")))
            {
                return mocks;
            }
        }

        throw new DirectoryNotFoundException($"No mocks/data/citizens.json above {AppContext.BaseDirectory}: give the mocks folder (--mocks).");
    }

    private static JsonNode ReadJson(string file) =>
        JsonNode.Parse(File.ReadAllBytes(file)) ?? throw new InvalidDataException($"{file} is not JSON.");

    private static Dictionary<string, byte[]> ReadFolder(string folder) =>
        Directory.EnumerateFiles(folder, "*.json").ToDictionary(f => Path.GetFileNameWithoutExtension(f), File.ReadAllBytes, StringComparer.Ordinal);

    [GeneratedRegex(@"^G22\.99-W[0-9A-Za-z]+$", RegexOptions.CultureInvariant)]
    private static partial Regex PushedCode();

    [GeneratedRegex(@"^G22\.98-[0-9]{6}-[0-9]{8}$", RegexOptions.CultureInvariant)]
    private static partial Regex BulkCode();

    /// <summary>A feed's pages, by page size and cursor (the number of items listed before the page).</summary>
    internal sealed partial class FeedPages
    {
        private readonly Dictionary<(int Size, int From), byte[]> pages;

        private FeedPages(Dictionary<(int Size, int From), byte[]> pages, int total)
        {
            this.pages = pages;
            Total = total;
            Sizes = pages.Keys.Select(k => k.Size).Distinct().Order().ToList();
        }

        /// <summary>How many items the feed has: the cursor after its last page.</summary>
        public int Total { get; }

        /// <summary>The page sizes served.</summary>
        public IReadOnlyList<int> Sizes { get; }

        public byte[]? Page(int size, int from) => pages.GetValueOrDefault((size, from));

        public static FeedPages Read(string folder)
        {
            var pages = new Dictionary<(int, int), byte[]>();
            var total = 0;
            foreach (var file in Directory.EnumerateFiles(folder, "size-*-from-*.json"))
            {
                var name = PageName().Match(Path.GetFileName(file));
                if (!name.Success)
                {
                    throw new InvalidDataException($"{file} is not named size-N-from-M.json.");
                }

                var bytes = File.ReadAllBytes(file);
                pages[(int.Parse(name.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(name.Groups[2].Value, CultureInfo.InvariantCulture))] = bytes;
                total = Math.Max(total, int.Parse((string?)ReadJsonBytes(bytes)["contro"] ?? "0", CultureInfo.InvariantCulture));
            }

            return new FeedPages(pages, total);
        }

        private static JsonNode ReadJsonBytes(byte[] bytes) => JsonNode.Parse(bytes) ?? throw new InvalidDataException("A feed page is not JSON.");

        [GeneratedRegex(@"^size-([0-9]+)-from-([0-9]+)\.json$", RegexOptions.CultureInvariant)]
        private static partial Regex PageName();
    }
}
