using System.Globalization;

namespace IntegrationHub.Benchmarks;

/// <summary>
/// One hub process of an e2e-scale round: the real host on the store and broker its environment names
/// (the driver sets <c>Messaging__Store</c> and the rest), the portal listing the feed from when the
/// driver's go file exists, the national systems stubbed. It writes READY once started, then the
/// runtime's compiling time so far every half second, and stops when its standard input closes.
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
        using var stop = new CancellationTokenSource();
        var reporting = ReportCompilingAsync(stop.Token);
        await Console.In.ReadToEndAsync();
        await stop.CancelAsync();
        await reporting;
        return 0;
    }

    /// <summary>The runtime's compiling time so far, every half second, for the driver's warm-up.</summary>
    private static async Task ReportCompilingAsync(CancellationToken stopping)
    {
        using var every = new PeriodicTimer(TimeSpan.FromMilliseconds(500));
        try
        {
            while (await every.WaitForNextTickAsync(stopping))
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{SideProtocol.Jit} {System.Runtime.JitInfo.GetCompilationTime().TotalSeconds:0.000000}"));
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }
}
