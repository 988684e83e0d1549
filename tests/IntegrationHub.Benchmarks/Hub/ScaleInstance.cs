using System.Globalization;

namespace IntegrationHub.Benchmarks;

/// <summary>
/// One hub process of an e2e-scale round: the real host on the store and broker its environment names
/// (the driver sets <c>Messaging__Store</c> and the rest), the portal listing the feed from when the
/// driver's go file exists, the national systems stubbed. It writes READY once started and stops when
/// its standard input closes.
/// </summary>
internal static class ScaleInstance
{
    public static async Task<int> RunAsync()
    {
        var count = int.Parse(Environment.GetEnvironmentVariable("BENCH_COUNT")!, CultureInfo.InvariantCulture);
        var submittedAt = DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(Environment.GetEnvironmentVariable("BENCH_SUBMITTED_AT")!, CultureInfo.InvariantCulture));
        var feed = StubbedHub.Submissions(count, Environment.GetEnvironmentVariable("BENCH_RUN")!, submittedAt);
        await using var hub = new StubbedHub(new Dictionary<string, string?>(), feed, Environment.GetEnvironmentVariable("BENCH_GO_FILE"));
        _ = hub.Server;
        Console.WriteLine(SideProtocol.Ready);
        await Console.In.ReadToEndAsync();
        return 0;
    }
}
