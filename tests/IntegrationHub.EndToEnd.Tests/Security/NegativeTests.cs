using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using IntegrationHub.Core.Store;
using IntegrationHub.StandIns;

namespace IntegrationHub.EndToEnd.Tests.Security;

/// <summary>One hub holding one routed Justice dossier, for requests that must be refused.</summary>
public sealed class RefusalHub : IAsyncLifetime
{
    private StandInServer standIns = null!;

    public TestKeys Keys { get; } = new();

    public InProcessHub Hub { get; private set; } = null!;

    public string DatabasePath { get; private set; } = "";

    public string CityCode { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        standIns = StandInServer.Start();
        var settings = EndToEnd.Settings(standIns.Url, Keys);
        settings["Flows:PortalPollInterval"] = "01:00:00";
        DatabasePath = settings["Messaging:DatabasePath"]!;
        Hub = new InProcessHub(settings, standIns.CreateScope()).Started();
        await using var probe = HubProbe.Of(Hub);
        var code = $"G22.99-W{Guid.NewGuid():N}"[..30];
        var justice = StandInData.Expected.First(e => e.Expect == "accepted" && e.Department == "STP");
        using var portal = Hub.ClientWith(Keys.Token(["portal"], subject: "dvcqg"));
        var pushed = await portal.SendAsync(PortalPush.Signed(PortalPush.Dossier(justice.FeedPosition, code, TimeProvider.System.GetUtcNow().AddDays(-2)), TimeProvider.System.GetUtcNow()));
        await Eventually.HoldsAsync(
            async () => await probe.DossierAsync(code) is { Stage: DossierStage.Routed, PortalSyncedAt: not null },
            TimeSpan.FromSeconds(30),
            () => $"the dossier was not routed: push {(int)pushed.StatusCode} {pushed.Content.ReadAsStringAsync().GetAwaiter().GetResult()}, dossier {probe.DossierAsync(code).GetAwaiter().GetResult()}");
        CityCode = (await probe.DossierAsync(code))!.CityCode!;
    }

    public async ValueTask DisposeAsync()
    {
        await Hub.DisposeAsync();
        await standIns.DisposeAsync();
        Keys.Dispose();
    }
}

/// <summary>
/// Requests that must be refused: each gets the right status and problem type, and none changes
/// anything in the store (dossiers, timelines, audit, inbox, queues).
/// </summary>
[Trait("Category", "Security")]
[Collection(EndToEnd.Collection)]
public sealed class NegativeTests(RefusalHub hub) : IClassFixture<RefusalHub>
{
    private static readonly string[] Stp = ["department:STP"];

    public static TheoryData<string, HttpStatusCode, string> Cases() => new()
    {
        { "expired token", HttpStatusCode.Unauthorized, "token-expired" },
        { "token not yet valid", HttpStatusCode.Unauthorized, "token-not-yet-valid" },
        { "wrong issuer", HttpStatusCode.Unauthorized, "token-issuer" },
        { "wrong audience", HttpStatusCode.Unauthorized, "token-audience" },
        { "wrong key", HttpStatusCode.Unauthorized, "token-signature" },
        { "alg none", HttpStatusCode.Unauthorized, "token-algorithm" },
        { "key confusion (HS256 with the public key)", HttpStatusCode.Unauthorized, "token-algorithm" },
        { "encrypted token (JWE)", HttpStatusCode.Unauthorized, "token-encrypted" },
        { "tampered payload", HttpStatusCode.Unauthorized, "token-signature" },
        { "no token", HttpStatusCode.Unauthorized, "token-missing" },
        { "missing role", HttpStatusCode.Forbidden, "forbidden" },
        { "another department", HttpStatusCode.NotFound, "not-found" },
        { "oversized body", HttpStatusCode.RequestEntityTooLarge, "payload-too-large" },
        { "malformed JSON", HttpStatusCode.BadRequest, "malformed-json" },
        { "unknown field", HttpStatusCode.BadRequest, "validation-failed" },
        { "missing field", HttpStatusCode.BadRequest, "validation-failed" },
        { "field named twice", HttpStatusCode.BadRequest, "validation-failed" },
        { "webhook item naming ChuHoSo twice", HttpStatusCode.BadRequest, "validation-failed" },
        { "not JSON", HttpStatusCode.UnsupportedMediaType, "unsupported-media-type" },
        { "impossible status change", HttpStatusCode.Conflict, "invalid-transition" },
        { "webhook with a bad signature", HttpStatusCode.Unauthorized, "webhook-signature" },
        { "webhook with a stale signature", HttpStatusCode.Unauthorized, "webhook-stale" },
        { "webhook without the portal role", HttpStatusCode.Forbidden, "forbidden" },
        { "identity check without the officer role", HttpStatusCode.Forbidden, "forbidden" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Request_ThatMustBeRefused_GetsItsProblemAndChangesNothing(string refusal, HttpStatusCode status, string problemType)
    {
        var before = await StoreSnapshot.TakeAsync(hub.DatabasePath);

        using var response = await SendAsync(refusal);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>(TestContext.Current.CancellationToken))!;
        Assert.Equal($"/problems/{problemType}", (string?)problem["type"]);
        Assert.False(string.IsNullOrWhiteSpace((string?)problem["detail"]));
        await hub.Hub.WritesSettledAsync(); // nothing queued behind the response either
        Assert.Equal(before, await StoreSnapshot.TakeAsync(hub.DatabasePath));
    }

    [Fact]
    public async Task UnknownField_ProblemNamesTheField()
    {
        using var response = await SendAsync("unknown field");

        var errors = (await response.Content.ReadFromJsonAsync<JsonObject>(TestContext.Current.CancellationToken))!["errors"]!.AsArray();
        Assert.Contains(errors, e => ((string?)e!["field"])!.Contains("priority", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("field named twice", "action")]
    [InlineData("webhook item naming ChuHoSo twice", "data[0].ChuHoSo")]
    public async Task DuplicatedProperty_ProblemNamesIt(string refusal, string field)
    {
        using var response = await SendAsync(refusal);

        var errors = (await response.Content.ReadFromJsonAsync<JsonObject>(TestContext.Current.CancellationToken))!["errors"]!.AsArray();
        Assert.Contains(errors, e => (string?)e!["field"] == field && (string?)e["error"] == "DuplicateProperty");
    }

    [Fact]
    public async Task Problems_NeverCarryTheTokenLibrarysMessages()
    {
        foreach (var refusal in Cases().Select(c => c.Data.Item1).Where(c => c.Contains("token", StringComparison.Ordinal) || c.Contains("key", StringComparison.Ordinal) || c.Contains("alg", StringComparison.Ordinal)))
        {
            using var response = await SendAsync(refusal);
            Assert.DoesNotContain("IDX", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        }
    }

    private Task<HttpResponseMessage> SendAsync(string refusal) => refusal switch
    {
        "expired token" => Report(hub.Keys.Token(Stp, notBefore: Now.AddHours(-2), expires: Now.AddHours(-1))),
        "token not yet valid" => Report(hub.Keys.Token(Stp, notBefore: Now.AddHours(1), expires: Now.AddHours(2))),
        "wrong issuer" => Report(hub.Keys.Token(Stp, issuer: "https://evil.example")),
        "wrong audience" => Report(hub.Keys.Token(Stp, audience: "someone-else")),
        "wrong key" => Report(hub.Keys.Token(Stp, key: hub.Keys.Stranger)),
        "alg none" => Report(TestKeys.Unsigned(Stp)),
        "key confusion (HS256 with the public key)" => Report(hub.Keys.KeyConfusion(Stp)),
        "encrypted token (JWE)" => Report("eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.a.b.c.d"),
        "tampered payload" => Report(hub.Keys.Tampered(["department:SXD"], Stp)),
        "no token" => Report(null),
        "missing role" => Report(hub.Keys.Token(["officer"])),
        "another department" => Report(hub.Keys.Token(["department:SXD"]), department: "SXD"),
        "oversized body" => Report(hub.Keys.Token(Stp), body: Body(action: new string('x', 70 * 1024))),
        "malformed JSON" => Report(hub.Keys.Token(Stp), raw: "{ \"reportId\": \"r1\", "),
        "unknown field" => Report(hub.Keys.Token(Stp), body: Body(extra: true)),
        "missing field" => Report(hub.Keys.Token(Stp), raw: """{ "reportId": "r1", "status": "inProcessing", "unit": "Phòng A", "action": "Xử lý" }"""),
        "field named twice" => Report(hub.Keys.Token(Stp), raw: Body().Replace("\"action\":", "\"action\":\"Tiếp nhận\",\"action\":", StringComparison.Ordinal)),
        "webhook item naming ChuHoSo twice" => WebhookRaw(hub.Keys.Token(["portal"]), body => body.Replace("\"ChuHoSo\":", "\"ChuHoSo\":\"Nguyễn Văn A\",\"ChuHoSo\":", StringComparison.Ordinal)),
        "not JSON" => Report(hub.Keys.Token(Stp), raw: "reportId=r1", mediaType: "application/x-www-form-urlencoded"),
        "impossible status change" => Report(hub.Keys.Token(Stp), body: Body(status: "resultReturned")),
        "webhook with a bad signature" => Webhook(hub.Keys.Token(["portal"]), secret: "not-the-shared-secret-0123456789abcdef"),
        "webhook with a stale signature" => Webhook(hub.Keys.Token(["portal"]), signedAt: TimeProvider.System.GetUtcNow().AddMinutes(-6)),
        "webhook without the portal role" => Webhook(hub.Keys.Token(["officer"])),
        "identity check without the officer role" => Send(hub.Keys.Token(["portal"]), HttpMethod.Post, "/api/identity/verifications", """{ "citizenId": "001090012345", "fullName": "Trần Văn An", "birthDate": "1990-01-01", "purpose": "1.010819" }"""),
        _ => throw new ArgumentOutOfRangeException(nameof(refusal), refusal, null),
    };

    private static DateTimeOffset Now => TimeProvider.System.GetUtcNow();

    private static string Body(string status = "inProcessing", string action = "Cập nhật tiến độ", bool extra = false)
    {
        var body = new JsonObject
        {
            ["reportId"] = $"neg-{Guid.NewGuid():N}",
            ["status"] = status,
            ["officer"] = new JsonObject { ["name"] = "Lê Thu Hà" },
            ["unit"] = "Phòng Hành chính tư pháp",
            ["action"] = action,
        };
        if (extra)
        {
            body["priority"] = "high";
        }

        return body.ToJsonString();
    }

    private Task<HttpResponseMessage> Report(string? token, string department = "STP", string? body = null, string? raw = null, string mediaType = "application/json") =>
        Send(token, HttpMethod.Post, $"/api/departments/{department}/dossiers/{hub.CityCode}/status", raw ?? body ?? Body(), mediaType);

    private Task<HttpResponseMessage> Webhook(string token, string secret = HubSettings.WebhookSecret, DateTimeOffset? signedAt = null)
    {
        var justice = StandInData.Expected.First(e => e.Expect == "accepted" && e.Department == "STP");
        var request = PortalPush.Signed(PortalPush.Dossier(justice.FeedPosition, $"G22.99-W{Guid.NewGuid():N}"[..30], TimeProvider.System.GetUtcNow()), signedAt ?? TimeProvider.System.GetUtcNow(), secret);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return hub.Hub.CreateClient().SendAsync(request);
    }

    private Task<HttpResponseMessage> WebhookRaw(string token, Func<string, string> change)
    {
        var justice = StandInData.Expected.First(e => e.Expect == "accepted" && e.Department == "STP");
        var dossier = PortalPush.Dossier(justice.FeedPosition, $"G22.99-W{Guid.NewGuid():N}"[..30], TimeProvider.System.GetUtcNow());
        var body = change(new JsonObject { ["data"] = new JsonArray(dossier) }.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
        var request = PortalPush.Signed(body, TimeProvider.System.GetUtcNow());
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return hub.Hub.CreateClient().SendAsync(request);
    }

    private Task<HttpResponseMessage> Send(string? token, HttpMethod method, string path, string body, string mediaType = "application/json")
    {
        var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = new StringContent(body, Encoding.UTF8, mediaType) };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return hub.Hub.CreateClient().SendAsync(request);
    }
}
