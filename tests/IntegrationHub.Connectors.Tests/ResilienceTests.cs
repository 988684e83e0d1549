using IntegrationHub.Core.Gateways;
using IntegrationHub.Schemas;
using Microsoft.Extensions.Time.Testing;

namespace IntegrationHub.Connectors.Tests;

[Trait("Category", "Contract")]
public sealed class ResilienceTests(StandInsFixture standIns) : IClassFixture<StandInsFixture>
{
    private const string Lookup = "/dvcqg/api/TraCuuHoSo";
    private const string Progress = "/dvcqg/api/CapNhatTienDoHoSoMC";
    private const string Sync = "/dvcqg/api/DongBoHoSoMC";
    private static readonly string PortalCode = (string)StandInData.Submissions[0]["MaHoSo"]!;
    private static readonly DateTimeOffset Start = new(2025, 3, 4, 9, 0, 0, TimeSpan.FromHours(7));

    [Fact]
    public async Task Lookup_503TwiceThen200_OneResultThreeRequestsTwoRetriesCounted()
    {
        using var scope = standIns.CreateScope();
        scope.Fail("POST", Lookup, StandInFaults.Status503RetryAfter.WithoutRetryAfter(), times: 2);
        await using var host = ConnectorHost.Create(scope);

        var view = await host.Portal.LookupAsync(PortalCode, CancellationToken.None);

        Assert.Equal(PortalCode, view!.PortalCode);
        Assert.Equal(3, scope.Requests(Lookup).Count);
        Assert.Equal(2, host.Count(ConnectorTelemetry.Retries, ("system", "portal"), ("operation", "Lookup"), ("outcome", "HTTP 503")));
        Assert.Equal(2, host.Logs.Lines.Count(l => l.EventId == 4001));
    }

    [Fact]
    public async Task Lookup_503WithRetryAfter_WaitsAsLongAsTheSystemAsks()
    {
        using var scope = standIns.CreateScope();
        scope.Fail("POST", Lookup, StandInFaults.Status503RetryAfter, times: 1);
        var clock = new FakeTimeProvider(Start);
        await using var host = ConnectorHost.Create(scope, time: clock);

        var lookup = host.Portal.LookupAsync(PortalCode, CancellationToken.None);
        await WaitUntil(() => scope.Requests(Lookup).Count == 1 && host.Logs.Lines.Any(l => l.EventId == 4001));

        // Retry-After: 1 against a backoff of 10 ms in these tests: nothing is sent again before a second has passed.
        clock.Advance(TimeSpan.FromMilliseconds(990));
        Assert.False(lookup.IsCompleted);
        Assert.Single(scope.Requests(Lookup));
        clock.Advance(TimeSpan.FromMilliseconds(10));
        Assert.NotNull(await lookup);
        Assert.Equal(2, scope.Requests(Lookup).Count);
    }

    [Fact]
    public async Task Lookup_RetryAfterLongerThanAllowed_NotRetriedAndUnavailableWithTheSystemsCode()
    {
        using var scope = standIns.CreateScope();
        scope.Fail("POST", Lookup, StandInFaults.Status503RetryAfter.WithRetryAfter("120"));
        await using var host = ConnectorHost.Create(scope);

        var error = await Assert.ThrowsAsync<GatewayException>(() => host.Portal.LookupAsync(PortalCode, CancellationToken.None));

        Assert.Equal(GatewayFailure.Unavailable, error.Failure);
        Assert.Equal("503", error.ErrorCode);
        Assert.Single(scope.Requests(Lookup));
        Assert.Contains(host.Logs.Lines, l => l.EventId == 4003);
    }

    [Fact]
    public async Task Lookup_429_RetriedAfterThePause()
    {
        using var scope = standIns.CreateScope();
        scope.Fail("POST", Lookup, StandInFaults.Status429.WithRetryAfter("0"), times: 1);
        await using var host = ConnectorHost.Create(scope);

        Assert.NotNull(await host.Portal.LookupAsync(PortalCode, CancellationToken.None));
        Assert.Equal(2, scope.Requests(Lookup).Count);
    }

    [Theory]
    [InlineData("connection-reset")]
    [InlineData("empty-response")]
    [InlineData("malformed-chunk")]
    [InlineData("random-data")]
    [InlineData("status-500")]
    public async Task Lookup_TransientFailureOnce_RetriedAndAnswered(string fault)
    {
        using var scope = standIns.CreateScope();
        scope.Fail("POST", Lookup, StandInFaults.Named(fault), times: 1);
        await using var host = ConnectorHost.Create(scope);

        Assert.NotNull(await host.Portal.LookupAsync(PortalCode, CancellationToken.None));
        Assert.Equal(2, scope.Requests(Lookup).Count);
    }

    [Fact]
    public async Task Lookup_ConnectionResetEveryTime_UnavailableAfterTheRetries()
    {
        using var scope = standIns.CreateScope();
        scope.Fail("POST", Lookup, StandInFaults.ConnectionReset);
        await using var host = ConnectorHost.Create(scope);

        var error = await Assert.ThrowsAsync<GatewayException>(() => host.Portal.LookupAsync(PortalCode, CancellationToken.None));

        Assert.Equal(GatewayFailure.Unavailable, error.Failure);
        Assert.IsAssignableFrom<HttpRequestException>(error.InnerException);
        Assert.Equal(4, scope.Requests(Lookup).Count);
    }

    [Fact]
    public async Task GetStatus_503Once_RetriedBecauseAGetIsIdempotent()
    {
        using var scope = standIns.CreateScope();
        scope.Fail("GET", "/vpdkdd/api/TraCuuTrangThai", StandInFaults.Status503RetryAfter.WithoutRetryAfter(), times: 1);
        await using var host = ConnectorHost.Create(scope);

        Assert.NotNull(await host.Sectors.For("land")!.GetStatusAsync("VPDK-000.00.00.H26-250106-0017", CancellationToken.None));
        Assert.Equal(2, scope.Requests("/vpdkdd/api/TraCuuTrangThai").Count);
    }

    [Theory]
    [InlineData("status-500")]
    [InlineData("connection-reset")]
    [InlineData("empty-response")]
    public async Task PushProgress_FailureAfterTheRequestWasSent_NotRetriedBecauseItMayHaveBeenApplied(string fault)
    {
        using var scope = standIns.CreateScope();
        scope.Fail("POST", Progress, StandInFaults.Named(fault), times: 1);
        await using var host = ConnectorHost.Create(scope);

        var error = await Assert.ThrowsAsync<GatewayException>(() => host.Portal.PushProgressAsync(PortalCode, [Step()], CancellationToken.None));

        Assert.Equal(GatewayFailure.Unavailable, error.Failure);
        Assert.Single(scope.Requests(Progress));
        Assert.Contains(host.Logs.Lines, l => l.EventId == 4002);
    }

    [Fact]
    public async Task PushProgress_429_RetriedBecauseTheSystemDidNotProcessIt()
    {
        using var scope = standIns.CreateScope();
        scope.Fail("POST", Progress, StandInFaults.Status429.WithRetryAfter("0"), times: 1);
        await using var host = ConnectorHost.Create(scope);

        await host.Portal.PushProgressAsync(PortalCode, [Step()], CancellationToken.None);

        Assert.Equal(2, scope.Requests(Progress).Count);
    }

    [Fact]
    public async Task SyncDossier_500OnInsert_RetriedBecauseTheDossierCodeKeysIt()
    {
        using var scope = standIns.CreateScope();
        scope.Fail("POST", Sync, StandInFaults.Status500, times: 1);
        await using var host = ConnectorHost.Create(scope);

        var outcome = await host.Portal.SyncDossierAsync(new SyncPortalStatus
        {
            PortalCode = PortalCode,
            Status = DossierStatus.Accepted,
            ChangedAt = new DateTimeOffset(2025, 3, 4, 9, 0, 0, TimeSpan.FromHours(7)),
            Progress = [],
        }, CancellationToken.None);

        Assert.Equal(PortalSyncOutcome.Updated, outcome);
        Assert.Equal(["False", "False", "True"], scope.Requests(Sync).Select(r => (string?)r.Json()["isUpdating"]));
    }

    [Fact]
    public async Task Lookup_SlowerThanTheAttemptTimeoutOnce_RetriedAndAnswered()
    {
        using var scope = standIns.CreateScope();
        scope.Fail("POST", Lookup, StandInFaults.Slow.WithDelay(TimeSpan.FromSeconds(30)), times: 1);
        var clock = new FakeTimeProvider(Start);
        await using var host = ConnectorHost.Create(scope, s => s["Connectors:Portal:AttemptTimeout"] = "00:00:00.300", clock);

        var lookup = host.Portal.LookupAsync(PortalCode, CancellationToken.None);
        await WaitUntil(() => scope.Requests(Lookup).Count == 1);

        // The stand-in holds the first reply for 30 s; the attempt's timeout, not the reply, ends it.
        Assert.False(lookup.IsCompleted);
        await AdvanceUntil(clock, () => lookup.IsCompleted);

        Assert.NotNull(await lookup);
        Assert.Equal(2, scope.Requests(Lookup).Count);
        Assert.InRange(clock.GetUtcNow() - Start, TimeSpan.FromMilliseconds(300), TimeSpan.FromMilliseconds(600));
    }

    [Fact]
    public async Task Lookup_AlwaysSlow_UnavailableWhenTheTotalTimeoutIsSpent()
    {
        using var scope = standIns.CreateScope();
        scope.Fail("POST", Lookup, StandInFaults.Slow.WithDelay(TimeSpan.FromSeconds(30)));
        var clock = new FakeTimeProvider(Start);
        await using var host = ConnectorHost.Create(
            scope,
            s =>
            {
                s["Connectors:Portal:AttemptTimeout"] = "00:00:00.200";
                s["Connectors:Portal:TotalTimeout"] = "00:00:00.700";
                s["Connectors:Portal:Retry:MaxRetries"] = "10";
            },
            clock);
        await host.Portal.ListProceduresAsync(CancellationToken.None);

        var lookup = host.Portal.LookupAsync(PortalCode, CancellationToken.None);
        await AdvanceUntil(clock, () => lookup.IsCompleted);

        var error = await Assert.ThrowsAsync<GatewayException>(() => lookup);
        Assert.Equal(GatewayFailure.Unavailable, error.Failure);
        Assert.Contains("did not answer within", error.Message, StringComparison.Ordinal);
        Assert.InRange(clock.GetUtcNow() - Start, TimeSpan.FromMilliseconds(700), TimeSpan.FromMilliseconds(850));
        Assert.InRange(scope.Requests(Lookup).Count, 2, 4);
    }

    [Fact]
    public async Task Lookup_MalformedJson_MalformedReplyNamingWhereAndNotRetried()
    {
        using var scope = standIns.CreateScope();
        scope.Fail("POST", Lookup, StandInFaults.MalformedJson);
        await using var host = ConnectorHost.Create(scope);

        var error = await Assert.ThrowsAsync<GatewayException>(() => host.Portal.LookupAsync(PortalCode, CancellationToken.None));

        Assert.Equal(GatewayFailure.MalformedReply, error.Failure);
        Assert.Equal("portal", error.System);
        Assert.Equal("Lookup", error.Operation);
        Assert.StartsWith("$.result", error.Field, StringComparison.Ordinal);
        Assert.Single(scope.Requests(Lookup));
    }

    [Fact]
    public async Task Circuit_OpensWhenHalfTheCallsFailAndLetsOneProbeThroughAfterTheBreak()
    {
        using var scope = standIns.CreateScope();
        var clock = new FakeTimeProvider(Start);
        await using var host = ConnectorHost.Create(scope, Breaker, clock);
        scope.Fail("POST", Lookup, StandInFaults.Status503RetryAfter.WithoutRetryAfter());

        // The token request is the window's one success; the third failed lookup makes 3 of 4.
        for (var i = 0; i < 3; i++)
        {
            await Assert.ThrowsAsync<GatewayException>(() => host.Portal.LookupAsync(PortalCode, CancellationToken.None));
        }

        var open = host.Circuit("portal");
        Assert.Equal(CircuitStatus.Open, open.State);
        Assert.Equal("HTTP 503", open.LastFailure);
        Assert.Equal(clock.GetUtcNow(), open.Since);
        Assert.Equal(1, host.Count(ConnectorTelemetry.CircuitOpened, ("system", "portal")));
        Assert.Contains(host.Logs.Lines, l => l.EventId == 4010);

        var rejected = await Assert.ThrowsAsync<GatewayException>(() => host.Portal.LookupAsync(PortalCode, CancellationToken.None));
        Assert.Equal(GatewayFailure.Unavailable, rejected.Failure);
        Assert.Contains("circuit is open", rejected.Message, StringComparison.Ordinal);
        Assert.Equal(3, scope.Requests(Lookup).Count);
        Assert.Equal(1, host.Count(ConnectorTelemetry.Rejections, ("system", "portal"), ("reason", "circuit_open")));
        Assert.Equal(CircuitStatus.Closed, host.Circuit("population").State);

        scope.Clear();
        clock.Advance(TimeSpan.FromSeconds(29));
        await Assert.ThrowsAsync<GatewayException>(() => host.Portal.LookupAsync(PortalCode, CancellationToken.None));
        Assert.Equal(3, scope.Requests(Lookup).Count);

        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.NotNull(await host.Portal.LookupAsync(PortalCode, CancellationToken.None));
        Assert.Equal(4, scope.Requests(Lookup).Count);
        Assert.Equal(CircuitStatus.Closed, host.Circuit("portal").State);
    }

    [Fact]
    public async Task Circuit_ProbeFails_OpensForAnotherBreak()
    {
        using var scope = standIns.CreateScope();
        var clock = new FakeTimeProvider(Start);
        await using var host = ConnectorHost.Create(scope, Breaker, clock);
        scope.Fail("POST", Lookup, StandInFaults.Status500);
        for (var i = 0; i < 3; i++)
        {
            await Assert.ThrowsAsync<GatewayException>(() => host.Portal.LookupAsync(PortalCode, CancellationToken.None));
        }

        clock.Advance(TimeSpan.FromSeconds(30));
        await Assert.ThrowsAsync<GatewayException>(() => host.Portal.LookupAsync(PortalCode, CancellationToken.None));
        Assert.Equal(4, scope.Requests(Lookup).Count);
        Assert.Equal(CircuitStatus.Open, host.Circuit("portal").State);

        await Assert.ThrowsAsync<GatewayException>(() => host.Portal.LookupAsync(PortalCode, CancellationToken.None));
        Assert.Equal(4, scope.Requests(Lookup).Count);
        Assert.Equal(2, host.Count(ConnectorTelemetry.CircuitOpened, ("system", "portal")));
    }

    [Fact]
    public async Task Concurrency_LimitAndQueueFull_RejectedAtOnceWithoutARequest()
    {
        using var scope = standIns.CreateScope();
        await using var host = ConnectorHost.Create(scope, s =>
        {
            s["Connectors:Portal:Concurrency:MaxConcurrent"] = "1";
            s["Connectors:Portal:Concurrency:QueueLimit"] = "0";
            s["Connectors:Portal:Retry:MaxRetries"] = "0";
        });
        await host.Portal.ListProceduresAsync(CancellationToken.None);
        scope.Fail("POST", Lookup, StandInFaults.Slow.WithDelay(TimeSpan.FromSeconds(1.5)));

        var first = host.Portal.LookupAsync(PortalCode, CancellationToken.None);
        await WaitUntil(() => host.Circuit("portal").InFlight == 1);
        var rejected = await Assert.ThrowsAsync<GatewayException>(() => host.Portal.LookupAsync(PortalCode, CancellationToken.None));

        // At once: while the first call still holds the only slot.
        Assert.False(first.IsCompleted);
        Assert.Contains("concurrency limit", rejected.Message, StringComparison.Ordinal);
        Assert.Equal(1, host.Count(ConnectorTelemetry.Rejections, ("system", "portal"), ("reason", "concurrency_limit")));
        await Assert.ThrowsAsync<GatewayException>(() => first);
        Assert.Single(scope.Requests(Lookup));
    }

    [Fact]
    public async Task Concurrency_FourCallsTwoSlots_AllAnsweredInTwoWaves()
    {
        using var scope = standIns.CreateScope();
        await using var host = ConnectorHost.Create(scope, s => s["Connectors:Portal:Concurrency:MaxConcurrent"] = "2");
        await host.Portal.ListProceduresAsync(CancellationToken.None);
        scope.Stub("POST", Lookup, StandInReply.WithFile(200, $"portal/dossiers/{PortalCode}.json").WithDelay(TimeSpan.FromMilliseconds(400)));

        var calls = Enumerable.Range(0, 4).Select(_ => host.Portal.LookupAsync(PortalCode, CancellationToken.None)).ToList();

        // The first wave: two in flight, two waiting for a slot.
        await WaitUntil(() => host.Circuit("portal") is { InFlight: 2, Queued: 2 });
        var maxInFlight = 0;
        while (!calls.All(c => c.IsCompleted))
        {
            maxInFlight = Math.Max(maxInFlight, host.Circuit("portal").InFlight);
            await Task.WhenAny(Task.WhenAll(calls), Task.Delay(20, TestContext.Current.CancellationToken));
        }

        Assert.All(await Task.WhenAll(calls), view => Assert.Equal(PortalCode, view!.PortalCode));
        Assert.Equal(2, maxInFlight);
        Assert.Equal(4, scope.Requests(Lookup).Count);
    }

    private static void Breaker(Dictionary<string, string?> settings)
    {
        settings["Connectors:Portal:Retry:MaxRetries"] = "0";
        settings["Connectors:Portal:Breaker:FailureRatio"] = "0.5";
        settings["Connectors:Portal:Breaker:MinimumThroughput"] = "4";
        settings["Connectors:Portal:Breaker:BreakDuration"] = "00:00:30";
    }

    private static ProgressRecord Step() => new()
    {
        Actor = "Lê Thu Trang",
        Unit = "Bộ phận Một cửa",
        Action = "Tiếp nhận hồ sơ",
        Status = DossierStatus.Accepted,
        At = new DateTimeOffset(2025, 3, 4, 9, 0, 0, TimeSpan.FromHours(7)),
    };

    private static Task WaitUntil(Func<bool> condition) => WaitUntil(() => Task.FromResult(condition()));

    /// <summary>Waits, on the real clock, for something the test cannot be told about directly (a request reaching the stand-in).</summary>
    private static async Task WaitUntil(Func<Task<bool>> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!await condition())
        {
            await Task.Delay(10, timeout.Token);
        }
    }

    /// <summary>
    /// Moves the fake clock on in 5 ms steps until <paramref name="done"/>, letting the connector react
    /// to each step (a timeout firing, a retry being sent) before the next.
    /// </summary>
    private static async Task AdvanceUntil(FakeTimeProvider clock, Func<bool> done)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!done())
        {
            clock.Advance(TimeSpan.FromMilliseconds(5));
            await Task.Delay(15, timeout.Token);
        }
    }
}
