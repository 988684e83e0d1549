using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.Tokens;

namespace IntegrationHub.Functions.Tests;

/// <summary>A host configured with <c>Security:Algorithms = ["ES256"]</c>.</summary>
public sealed class Es256OnlyHost : IDisposable
{
    public HostFixture Host { get; } = new() { Settings = { ["Security:Algorithms:0"] = "ES256" } };

    public void Dispose() => Host.Dispose();
}

/// <summary>A configured list of algorithms replaces the default list; it is not added to it.</summary>
[Trait("Category", "Security")]
public sealed class AlgorithmSettingTests(Es256OnlyHost configured) : IClassFixture<Es256OnlyHost>
{
    private static readonly string[] Officer = ["officer"];

    [Fact]
    public async Task Get_Rs256TokenWhenOnlyEs256IsConfigured_Is401AlgorithmNamingOnlyEs256()
    {
        var host = configured.Host;
        using var client = host.ClientWith(host.Keys.Token(Officer, key: host.Keys.Rsa, algorithm: SecurityAlgorithms.RsaSha256));

        var response = await client.GetAsync(new Uri("/api/me", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>(TestContext.Current.CancellationToken))!;
        Assert.Equal("/problems/token-algorithm", (string?)problem["type"]);
        Assert.EndsWith("accepted: ES256.", (string?)problem["detail"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_Es256TokenWhenOnlyEs256IsConfigured_IsAccepted()
    {
        var host = configured.Host;
        using var client = host.ClientWith(host.Keys.Token(Officer, key: host.Keys.Ec, algorithm: SecurityAlgorithms.EcdsaSha256));

        var response = await client.GetAsync(new Uri("/api/me", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
