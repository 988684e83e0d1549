using IntegrationHub.StandIns.Faults;
using IntegrationHub.StandIns.Http;
using IntegrationHub.StandIns.Scopes;
using IntegrationHub.StandIns.Systems;
using Microsoft.AspNetCore.Builder;
using WireMock;
using WireMock.Logging;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;

namespace IntegrationHub.StandIns;

/// <summary>
/// The stand-ins of the National Public Service Portal, the National Population Database and the
/// land and business registration systems, with their OAuth2 token endpoints, on one loopback port:
/// WireMock.Net serving the data of <c>mocks/</c>, with a front of its own that records every
/// request as it arrives and does the faults WireMock.Net cannot (a reset connection, random bytes).
/// Tests start one in process; <c>scripts/run</c> starts the same in its host program.
/// </summary>
public sealed class StandInServer : IAsyncDisposable
{
    private readonly WireMockServer server;
    private readonly RequestLog log;
    private readonly StubBook stubs;
    private readonly string mocks;
    private readonly CancellationTokenSource stopping;

    private StandInServer(WireMockServer server, RequestLog log, StubBook stubs, string mocks, CancellationTokenSource stopping)
    {
        this.server = server;
        this.log = log;
        this.stubs = stubs;
        this.mocks = mocks;
        this.stopping = stopping;
        Url = new Uri($"http://127.0.0.1:{server.Port}");
    }

    /// <summary>Where it listens, e.g. <c>http://127.0.0.1:41719</c>.</summary>
    public Uri Url { get; }

    /// <summary>Starts the stand-ins on 127.0.0.1.</summary>
    public static StandInServer Start(StandInOptions? options = null, IWireMockLogger? logger = null)
    {
        options ??= new StandInOptions();
        ArgumentOutOfRangeException.ThrowIfNegative(options.Port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Port, 65535);
        var mocks = options.MocksFolder ?? StandInFiles.FindMocksFolder();
        var data = StandInFiles.For(mocks);
        var log = new RequestLog();
        var stubs = new StubBook();
        var front = new StandInFront(log, stubs, options.TimeProvider);
        var server = WireMockServer.Start(new WireMockServerSettings
        {
            Urls = [$"http://127.0.0.1:{options.Port}"],
            StartAdminInterface = options.AdminInterface,
            Logger = logger ?? new WireMockNullLogger(),
            // The stand-ins read bodies themselves; WireMock.Net's admin API needs its own JSON reading.
            DisableJsonBodyParsing = !options.AdminInterface,
            MaxRequestLogCount = 1000,
            StartTimeout = 60_000,
            PreWireMockMiddlewareInit = app => ((IApplicationBuilder)app).Use((context, next) => front.InvokeAsync(context, next)),
        });

        var standIns = new StandInServer(server, log, stubs, mocks, new CancellationTokenSource());
        server.Given(Request.Create().UsingAnyMethod().WithHeader(StandInFront.StubHeader, "*"))
            .AtPriority(1)
            .WithTitle("an answer put in front of the systems' own (a test scope's, or one for every caller)")
            .RespondWith(Response.Create().WithCallback(request => standIns.AnswerClaimedAsync(request)));
        Add(server, StandInSystems.Portal, new PortalStandIn(data).Answer);
        Add(server, StandInSystems.Population, new PopulationStandIn(data).Answer);
        Add(server, StandInSystems.Land, SectorStandIn.Land(options.TimeProvider).Answer);
        Add(server, StandInSystems.Business, SectorStandIn.Business(options.TimeProvider).Answer);
        return standIns;
    }

    /// <summary>Every request received, oldest first; those <paramref name="filter"/> keeps when given.</summary>
    public IReadOnlyList<LoggedRequest> Requests(Func<LoggedRequest, bool>? filter = null) => log.Where(filter ?? (_ => true));

    /// <summary>A fresh scope for one test: its own answers and its own requests.</summary>
    public StandInScope CreateScope() => new(this);

    /// <summary>
    /// Answers every caller's <paramref name="method"/> requests to <paramref name="urlPath"/> that
    /// <paramref name="when"/> keeps with <paramref name="reply"/> (made from the request), in front of
    /// the systems' own answers, until the returned handle is disposed. For a process a test starts,
    /// which cannot carry a scope's header: tell its requests apart by what they send.
    /// </summary>
    public IDisposable AnswerWhen(string method, string urlPath, Func<LoggedRequest, bool> when, Func<LoggedRequest, StandInReply> reply)
    {
        var owner = Guid.NewGuid().ToString("N");
        stubs.Add(new Stub(owner, method, urlPath, when, reply, null));
        return new Answer(() => stubs.Remove(s => s.Owner == owner));
    }

    /// <summary>Forgets every request received and every answer put in front: the stand-ins as they started.</summary>
    public void Reset()
    {
        stubs.Remove(_ => true);
        log.Clear();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        server.Stop();
        server.Dispose();
        stopping.Dispose();
    }

    internal void AddStub(string scope, string method, string urlPath, StandInReply reply, int? times) =>
        stubs.Add(new Stub(scope, method, urlPath, r => r.Header(StandInScope.HeaderName) == scope, _ => reply, times));

    internal void RemoveStubs(string scope) => stubs.Remove(s => s.Owner == scope);

    private static void Add(WireMockServer server, StandInSystem system, Func<IRequestMessage, IResponseMessage?> services)
    {
        var token = new TokenEndpoint(system);
        server.Given(Request.Create().UsingPost().WithPath(system.TokenPath))
            .AtPriority(10)
            .WithTitle($"{system.Name}: token endpoint")
            .RespondWith(Response.Create().WithCallback(token.Answer));
        server.Given(Request.Create().UsingAnyMethod().WithPath(new WildcardMatcher($"{system.ApiPath}*")))
            .AtPriority(10)
            .WithTitle($"{system.Name}: API")
            .RespondWith(Response.Create().WithCallback(request => ApiGate.Answer(request, services)));
    }

    private Task<IResponseMessage> AnswerClaimedAsync(IRequestMessage request) =>
        stubs.Take(request.Header(StandInFront.StubHeader)) is { } reply
            ? AnswerAsync(reply)
            : Task.FromResult<IResponseMessage>(ApiGate.NotServed());

    private async Task<IResponseMessage> AnswerAsync(StandInReply reply)
    {
        if (reply.Delay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(reply.Delay, stopping.Token);
            }
            catch (OperationCanceledException)
            {
                // The server is stopping: nobody waits for this answer any more.
                return Replies.Error(503, "503", "Stand-in stopping");
            }
        }

        if (reply.Connection is { } fault)
        {
            return Replies.Bytes(200, [], new Dictionary<string, string> { [StandInFront.FaultHeader] = ConnectionFaults.NameOf(fault) });
        }

        var body = reply.BodyFile is { } file ? await File.ReadAllBytesAsync(Path.Combine(mocks, "__files", file), stopping.Token) : reply.Body.ToArray();
        return Replies.Bytes(reply.Status, body, reply.Headers);
    }

    private sealed class Answer(Action remove) : IDisposable
    {
        public void Dispose() => remove();
    }
}
