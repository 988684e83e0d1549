extern alias functions;

using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using IntegrationHub.Core.Gateways;
using IntegrationHub.Schemas;
using IntegrationHub.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Benchmarks;

/// <summary>
/// Identity verifications per second on a cache hit, through everything a real request meets: JWT
/// validation, the per-caller rate limiter, the body's schema check, the audit log written before the
/// answer (durable), and the cache. Against it, a bare Kestrel endpoint that reads the same body and
/// writes a fixed answer of the same size. Both are driven by wrk on loopback; then the hub's latency
/// is measured at half the rate it reached, by wrk paced to that rate.
/// </summary>
/// With <c>chainingCost</c>, a hub with the audit chains sealed and signed against one without
/// (<c>Audit:Chaining</c> off), both in this process, driven by wrk in alternating rounds, then each
/// paced at half its own rate for its latency.
internal sealed partial class IdentityCacheHit(BenchmarkSettings settings, bool chainingCost = false) : Scenario(settings)
{
    private const string Body = """{"citizenId":"038092585262","fullName":"Trần Trọng Mạnh","birthDate":"1992-03-18","purpose":"1.010819"}""";

    public override string Name => chainingCost ? "identity-cache-hit-chaining" : "identity-cache-hit";

    public override string Description => chainingCost
        ? "identity-cache-hit with the audit chains sealed and signed against a hub without (Audit:Chaining off), alternating rounds"
        : "identity verifications/s on a cache hit (JWT, rate limiter, schema, audit) vs a bare Kestrel endpoint, both driven by wrk";

    public override async Task<IReadOnlyList<Figure>> RunAsync()
    {
        if (chainingCost)
        {
            return await ChainingCostAsync();
        }

        var load = BenchmarkSettings.LoadAverage();
        using var keys = new TestKeys();
        var token = keys.Token(["officer"], subject: "bench-officer", expires: TimeProvider.System.GetUtcNow().AddHours(2));
        await using var hub = new StubbedIdentityHub(HubSettingsFor(keys), FreePort());
        hub.StartServer();
        var hubUrl = new Uri(hub.ClientOptions.BaseAddress, "/api/identity/verifications");
        await using var bare = await BareKestrelAsync(FreePort());
        var bareUrl = new Uri(bare.Urls.Single() + "/verify");

        using var first = await SendOnceAsync(hubUrl, token);
        if (first.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"The hub answered {(int)first.StatusCode}: {await first.Content.ReadAsStringAsync()}");
        }

        var seconds = Settings.Quick ? 5 : 10;
        var script = WrkScript(token);
        await Wrk(bareUrl, script, 3);
        await Wrk(hubUrl, script, 3);
        var hubRounds = new List<Round>();
        var bareRounds = new List<Round>();
        for (var round = 1; round <= Settings.Rounds; round++)
        {
            bareRounds.Add(await MeasureAsync(bareUrl, script, seconds, "bare"));
            Print("bare", round, bareRounds[^1].Count, "requests", bareRounds[^1]);
            hubRounds.Add(await MeasureAsync(hubUrl, script, seconds, "hub"));
            Print("hub", round, hubRounds[^1].Count, "requests", hubRounds[^1]);
        }

        var half = (int)(Figure.Median(hubRounds.Select(r => r.Rate)) / 2);
        var (p50, p99, paced) = await LatencyAsync(hubUrl, token, half, TimeSpan.FromSeconds(seconds));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  hub paced at {half}/s (half its rate; {paced:0}/s reached): p50 {p50:0.0} ms, p99 {p99:0.0} ms"));
        return [new Figure(Name, Settings.Builds[0].Label, "requests", hubRounds, bareRounds, BaselineText, load, string.Create(CultureInfo.InvariantCulture, $"p50={p50:0.0}ms p99={p99:0.0}ms at={paced:0}/s"))];
    }

    /// <summary>Two hubs, chaining on and off, driven by wrk in turn (the order reversed every round); a figure each, with the ratio of the medians.</summary>
    private async Task<IReadOnlyList<Figure>> ChainingCostAsync()
    {
        var load = BenchmarkSettings.LoadAverage();
        using var keys = new TestKeys();
        var token = keys.Token(["officer"], subject: "bench-officer", expires: TimeProvider.System.GetUtcNow().AddHours(2));
        var off = HubSettingsFor(keys);
        off["Audit:Chaining"] = "false";
        await using var chained = new StubbedIdentityHub(HubSettingsFor(keys), FreePort());
        await using var plain = new StubbedIdentityHub(off, FreePort());
        chained.StartServer();
        plain.StartServer();
        var sides = new List<(string Label, Uri Url, List<Round> Rounds)>
        {
            ("chaining off", new Uri(plain.ClientOptions.BaseAddress, "/api/identity/verifications"), []),
            ("chaining on", new Uri(chained.ClientOptions.BaseAddress, "/api/identity/verifications"), []),
        };
        var seconds = Settings.Quick ? 5 : 10;
        var script = WrkScript(token);
        foreach (var (_, url, _) in sides)
        {
            using var first = await SendOnceAsync(url, token);
            first.EnsureSuccessStatusCode();
            await Wrk(url, script, 3);
        }

        for (var round = 1; round <= Math.Max(Settings.Rounds, Settings.Quick ? 1 : 5); round++)
        {
            foreach (var (label, url, rounds) in round % 2 == 1 ? sides : Enumerable.Reverse(sides))
            {
                rounds.Add(await MeasureAsync(url, script, seconds, "hubs"));
                Print(label, round, rounds[^1].Count, "requests", rounds[^1]);
            }
        }

        // What the chains cost in latency: each side paced at half its own rate, as identity-cache-hit is.
        var latencies = new List<string>();
        foreach (var (label, url, rounds) in sides)
        {
            var (p50, p99, paced) = await LatencyAsync(url, token, (int)(Figure.Median(rounds.Select(r => r.Rate)) / 2), TimeSpan.FromSeconds(seconds));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {label} paced at half its rate ({paced:0}/s reached): p50 {p50:0.0} ms, p99 {p99:0.0} ms"));
            latencies.Add(string.Create(CultureInfo.InvariantCulture, $"{label.Replace(' ', '-')}: p50={p50:0.0}ms p99={p99:0.0}ms at={paced:0}/s"));
        }

        var ratio = Figure.Median(sides[1].Rounds.Select(r => r.Rate)) / Figure.Median(sides[0].Rounds.Select(r => r.Rate));
        var note = string.Create(CultureInfo.InvariantCulture, $"on/off={ratio:0.00} target>=0.90; {string.Join("; ", latencies)}");
        return [.. sides.Select(s => new Figure(Name, s.Label, "requests", s.Rounds, null, null, load, note))];
    }

    /// <summary>Longer than the sealer's period (Audit:SealInterval, 2 s), so that a quiet window has seen its pass.</summary>
    private static readonly TimeSpan QuietWindow = TimeSpan.FromSeconds(2.5);

    private const string BaselineText = "a bare Kestrel endpoint in the same process reading the same body and writing an answer of the same size, driven by the same wrk -c64";

    /// <summary>
    /// A wrk run at full speed, with this process's CPU time over it (the hub and the bare endpoint both
    /// run here; wrk does not) until the cores are quiet again: the work the requests left behind (the
    /// sealer's entries, at its next pass) is counted in their round, not in the next one's.
    /// </summary>
    private static async Task<Round> MeasureAsync(Uri url, string script, int seconds, string side)
    {
        var rate = 0.0;
        var round = await MeasureInProcessAsync(
            async () =>
            {
                rate = await Wrk(url, script, seconds);
                await QuietMachine.WaitAsync(QuietWindow);
                return TimeSpan.FromSeconds(seconds);
            },
            1,
            MeasuredServers.None,
            side);
        var requests = (int)(rate * seconds);
        return round with { Count = requests, Elapsed = TimeSpan.FromSeconds(requests / rate) };
    }

    private static Dictionary<string, string?> HubSettingsFor(TestKeys keys)
    {
        var settings = HubSettings.For(new Uri("http://127.0.0.1:9/"), HubSettings.NewDatabasePath(), keys);
        settings["Flows:PortalPollInterval"] = "01:00:00";
        settings["Flows:DeadlineCheckInterval"] = "01:00:00";
        settings["RequestLimits:PermitsPerMinute"] = "6000000";
        settings["RequestLimits:Burst"] = "1000000";
        settings["Logging:LogLevel:Default"] = "Warning";
        return settings;
    }

    /// <summary>wrk at full speed with 64 connections: the requests per second it reached.</summary>
    private static async Task<double> Wrk(Uri url, string script, int seconds) =>
        Rate(await WrkAsync(url, script, "-t1", "-c64", $"-d{seconds}s"));

    /// <summary>Runs wrk with the script and returns its report; a non-2xx answer or a refused connection fails the run.</summary>
    private static async Task<string> WrkAsync(Uri url, string script, params string[] options)
    {
        var path = Path.Combine(Path.GetTempPath(), $"hub-bench-identity-{Guid.NewGuid():N}.lua");
        await File.WriteAllTextAsync(path, script);
        try
        {
            var start = new ProcessStartInfo("wrk", [.. options, "-s", path, url.ToString()]) { RedirectStandardOutput = true, RedirectStandardError = true };
            using var wrk = Process.Start(start) ?? throw new InvalidOperationException("wrk did not start; install it (scripts/bench does: apt-get install wrk).");
            var output = await wrk.StandardOutput.ReadToEndAsync();
            await wrk.WaitForExitAsync();
            if (NonSuccess().IsMatch(output))
            {
                throw new InvalidOperationException($"{url} answered errors under load:\n{output}");
            }

            return output;
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static double Rate(string output) => double.Parse(RequestsPerSecond().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);

    private static string WrkScript(string token, string extra = "") => $"""
        wrk.method = "POST"
        wrk.body = '{Body}'
        wrk.headers["Content-Type"] = "application/json"
        wrk.headers["Authorization"] = "Bearer {token}"
        {extra}
        """;

    /// <summary>
    /// wrk paced to <paramref name="rate"/>: each of its connections waits before each request
    /// (wrk's <c>delay</c>) so that together they send at that rate, and wrk, a separate process,
    /// records each answer's latency. The wait is calibrated by up to four short runs, since
    /// each connection's cycle is its wait plus the answer's latency.
    /// </summary>
    private static async Task<(double P50, double P99, double Rate)> LatencyAsync(Uri url, string token, int rate, TimeSpan duration)
    {
        const int Connections = 32;
        var wait = Connections * 1000.0 / rate;
        for (var calibration = 0; calibration < 4; calibration++)
        {
            var (_, _, reached) = await PacedAsync(url, token, Connections, wait, 3);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  pacing: {wait:0.000} ms between requests per connection gave {reached:0}/s"));
            if (Math.Abs(reached - rate) < rate * 0.05)
            {
                break;
            }

            wait = Math.Max(0.01, wait + (Connections * 1000.0 / rate) - (Connections * 1000.0 / reached));
        }

        // What the runs before left to do (the sealer's backlog, in either hub of this process) done first.
        await QuietMachine.WaitAsync(QuietWindow);
        return await PacedAsync(url, token, Connections, wait, (int)duration.TotalSeconds);
    }

    private static async Task<(double P50, double P99, double Rate)> PacedAsync(Uri url, string token, int connections, double waitMs, int seconds)
    {
        var script = WrkScript(token, string.Create(CultureInfo.InvariantCulture, $"function delay() return {waitMs:0.000} end"));
        var output = await WrkAsync(url, script, "-t1", $"-c{connections}", $"-d{seconds}s", "--latency");
        return (Percentile(output, "50"), Percentile(output, "99"), Rate(output));
    }

    private static double Percentile(string output, string percent)
    {
        var match = Regex.Match(output, $@"^\s+{percent}%\s+([0-9.]+)(us|ms|s)\s*$", RegexOptions.Multiline);
        var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return match.Groups[2].Value switch { "us" => value / 1000, "s" => value * 1000, _ => value };
    }

    private static async Task<HttpResponseMessage> SendOnceAsync(Uri url, string token)
    {
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await http.PostAsync(url, new StringContent(Body, Encoding.UTF8, "application/json"));
    }

    private static async Task<WebApplication> BareKestrelAsync(int port)
    {
        var answer = Encoding.UTF8.GetBytes("""{"lookupId":"idl-0193c1a8f7b27c52a1e4b0a3c2d1e0f9","outcome":"match","prefill":{"fullName":"Trần Trọng Mạnh","sex":"male","permanentAddress":"Căn hộ 1413, tòa N01, phố An Dương Vương, Phường Yên Phụ, Quận Tây Hồ, Thành phố Hà Nội","currentAddress":"Căn hộ 1413, tòa N01, phố An Dương Vương, Phường Yên Phụ, Quận Tây Hồ, Thành phố Hà Nội"},"checkedAt":"2026-11-21T14:00:00+07:00"}""");
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        app.MapPost("/verify", async (HttpContext context) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            context.Response.ContentType = "application/json";
            await context.Response.Body.WriteAsync(answer);
        });
        await app.StartAsync();
        return app;
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex(@"Requests/sec:\s+([0-9.]+)")]
    private static partial Regex RequestsPerSecond();

    [GeneratedRegex(@"Non-2xx or 3xx responses: \d+|Socket errors: connect \d+")]
    private static partial Regex NonSuccess();

    /// <summary>The real host on real Kestrel, with the population database answered in-process.</summary>
    private sealed class StubbedIdentityHub : WebApplicationFactory<functions::Program>
    {
        private readonly IReadOnlyDictionary<string, string?> settings;

        public StubbedIdentityHub(IReadOnlyDictionary<string, string?> settings, int port)
        {
            this.settings = settings;
            UseKestrel(options => options.Listen(IPAddress.Loopback, port));
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Benchmark");
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }

            builder.ConfigureTestServices(services => services.AddSingleton<IPopulationRegistry, Population>());
        }
    }

    private sealed class Population : IPopulationRegistry
    {
        public Task<IdentityMatch> VerifyAsync(IdentityQuery query, IReadOnlySet<PrefillField> wanted, CancellationToken cancellationToken) =>
            Task.FromResult(new IdentityMatch(IdentityOutcome.Match, [], new IdentityPrefill
            {
                FullName = query.FullName,
                Sex = Sex.Male,
                PermanentAddress = "Căn hộ 1413, tòa N01, phố An Dương Vương, Phường Yên Phụ, Quận Tây Hồ, Thành phố Hà Nội",
                CurrentAddress = "Căn hộ 1413, tòa N01, phố An Dương Vương, Phường Yên Phụ, Quận Tây Hồ, Thành phố Hà Nội",
            }));
    }
}
