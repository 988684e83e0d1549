using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using IntegrationHub.Functions.Telemetry;
using IntegrationHub.Runtime.Functions;
using IntegrationHub.StandIns;

namespace IntegrationHub.EndToEnd.Tests.Operations;

/// <summary>
/// One trace per dossier: intake starts it, every queue hop continues it from the message's
/// traceparent, and the hub exports it (and its metrics) over OTLP when a collector is configured.
/// </summary>
[Trait("Category", "Operations")]
[Collection(EndToEnd.Collection)]
public sealed class TracingTests(StandInsFixture standIns) : IClassFixture<StandInsFixture>
{
    [Fact]
    public async Task Dossier_FromIntakeToThePortal_EveryHopSharesTheDossiersTraceAndTheCollectorReceivesIt()
    {
        await using var collector = new OtlpCollector();
        var spans = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is RuntimeTelemetry.ActivitySourceName or DossierTraces.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Add,
        };
        ActivitySource.AddActivityListener(listener);
        await using var testHub = TestHub.Start(standIns.Server, settings =>
        {
            settings["Telemetry:OtlpEndpoint"] = collector.Url.ToString();
            settings["Telemetry:TracesDelay"] = "00:00:00.200";
            settings["Telemetry:MetricsInterval"] = "00:00:01";
        });
        var (hub, probe, keys, scope) = (testHub.Hub, testHub.Probe, testHub.Keys, testHub.Scope);
        await FeedReconciliation.WaitUntilSettledAsync(probe, TimeSpan.FromMinutes(3));
        var land = StandInData.Expected.First(e => e.Expect == "accepted" && e.SectorSystem == "land").PortalCode!;
        var other = StandInData.Expected.First(e => e.Expect == "accepted" && e.PortalCode != land).PortalCode!;
        var trace = DossierTraces.TraceIdOf(land);

        await Eventually.HoldsAsync(() => Task.FromResult(Of(spans, land).Any(s => s.DisplayName == "process portal-status")), TimeSpan.FromSeconds(30), () => "the portal-status hop did not end");
        // A hop retried after a failure has a span per delivery: the one that went on is the last.
        var steps = Of(spans, land).GroupBy(s => s.DisplayName).ToDictionary(g => g.Key, g => g.OrderBy(s => s.StartTimeUtc).Last());

        // Every hop from intake to the portal; a deadline alert for the dossier may have come too, in the same trace.
        Assert.Superset(new HashSet<string>(["intake submission", "process intake", "process route", "process deliver-sector", "process portal-status"]), steps.Keys.ToHashSet());
        Assert.All(steps.Values, s => Assert.Equal(trace, s.TraceId));
        Assert.Equal(steps["intake submission"].SpanId, steps["process intake"].ParentSpanId);
        Assert.Equal(steps["process intake"].SpanId, steps["process route"].ParentSpanId);
        Assert.Equal(steps["process route"].SpanId, steps["process deliver-sector"].ParentSpanId);
        Assert.Equal(steps["process route"].SpanId, steps["process portal-status"].ParentSpanId);
        Assert.All(Of(spans, other), s => Assert.Equal(DossierTraces.TraceIdOf(other), s.TraceId));
        Assert.NotEqual(trace, DossierTraces.TraceIdOf(other));

        var traceBytes = new byte[16];
        trace.CopyTo(traceBytes);
        await Eventually.HoldsAsync(() => Task.FromResult(collector.Received("/v1/traces").Any(b => b.AsSpan().IndexOf(traceBytes) >= 0)), TimeSpan.FromSeconds(30), () => "the collector received no span of the dossier");
        await Eventually.HoldsAsync(() => Task.FromResult(collector.Received("/v1/metrics").Any(b => Contains(b, "hub.function.messages.processed") && Contains(b, "hub.queue.messages"))), TimeSpan.FromSeconds(30), () => "the collector received no function or queue metrics");
    }

    private static IEnumerable<Activity> Of(IEnumerable<Activity> spans, string portalCode) => spans.Where(s =>
        (s.GetTagItem("messaging.message.conversation_id") as string ?? s.GetTagItem("dossier.portal_code") as string) == portalCode);

    private static bool Contains(byte[] body, string text) => body.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0;

    /// <summary>An OTLP/HTTP collector on a loopback port that keeps what it is sent.</summary>
    private sealed class OtlpCollector : IAsyncDisposable
    {
        private readonly HttpListener listener = new();
        private readonly ConcurrentQueue<(string Path, byte[] Body)> received = new();
        private readonly Task loop;

        public OtlpCollector()
        {
            Url = new Uri($"http://127.0.0.1:{ChildProcessHub.FreePort()}/");
            listener.Prefixes.Add(Url.ToString());
            listener.Start();
            loop = Task.Run(AcceptAsync);
        }

        public Uri Url { get; }

        public IEnumerable<byte[]> Received(string path) => received.Where(r => r.Path == path).Select(r => r.Body);

        public async ValueTask DisposeAsync()
        {
            listener.Close();
            await loop;
        }

        private async Task AcceptAsync()
        {
            while (listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await listener.GetContextAsync();
                }
                catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                using var body = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(body);
                received.Enqueue((context.Request.Url!.AbsolutePath, body.ToArray()));
                context.Response.StatusCode = 200;
                context.Response.ContentType = "application/x-protobuf";
                context.Response.Close();
            }
        }
    }
}
