using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace IntegrationHub.Functions.Tests;

/// <summary>How a request body is read: a byte-order mark is accepted; a property named twice, or a number no field can hold, is refused, named.</summary>
[Trait("Category", "Security")]
public sealed class BodyTests(HostFixture host) : IClassFixture<HostFixture>
{
    private const string Question = """{"citizenId":"001090012345","fullName":"Trần Văn An","birthDate":"1990-01-01","purpose":"no-such-purpose"}""";

    [Fact]
    public async Task Post_BodyWithAByteOrderMark_IsReadAsJson()
    {
        var response = await PostAsync([0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(Question)]);

        // The body was read: the purpose is what the hub refuses, not the JSON.
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("/problems/unknown-purpose", (string?)(await response.Content.ReadFromJsonAsync<JsonObject>(TestContext.Current.CancellationToken))!["type"]);
    }

    [Fact]
    public async Task Post_BodyNamingAPropertyTwice_Is400NamingTheProperty()
    {
        var twice = Question.Replace("\"fullName\":", "\"fullName\":\"Lê Thị Bình\",\"fullName\":", StringComparison.Ordinal);

        var response = await PostAsync(Encoding.UTF8.GetBytes(twice));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>(TestContext.Current.CancellationToken))!;
        Assert.Equal("/problems/validation-failed", (string?)problem["type"]);
        var error = Assert.Single(problem["errors"]!.AsArray());
        Assert.Equal("fullName", (string?)error!["field"]);
        Assert.Equal("DuplicateProperty", (string?)error["error"]);
    }

    [Fact]
    public async Task Post_WholeNumberBeyond64Bits_Is400NamingTheField()
    {
        using var client = host.ClientWith(host.Keys.Token(["ops"]));
        using var content = new StringContent("""{"queue":"verify","dryRun":true,"maxPerSecond":100000000000000000000,"comment":"catch-up"}""", Encoding.UTF8, "application/json");

        var response = await client.PostAsync(new Uri("/api/ops/replays", UriKind.Relative), content, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = Assert.Single((await response.Content.ReadFromJsonAsync<JsonObject>(TestContext.Current.CancellationToken))!["errors"]!.AsArray());
        Assert.Equal("maxPerSecond", (string?)error!["field"]);
        Assert.Equal("NumberOutOfRange", (string?)error["error"]);
    }

    private async Task<HttpResponseMessage> PostAsync(byte[] body)
    {
        using var client = host.ClientWith(host.Keys.Token(["officer"]));
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new("application/json") { CharSet = "utf-8" };
        return await client.PostAsync(new Uri("/api/identity/verifications", UriKind.Relative), content);
    }
}
