using System.Text;
using IntegrationHub.Core.Gateways;

namespace IntegrationHub.Connectors.Tests;

[Trait("Category", "Contract")]
public sealed class AuthenticationTests(StandInsFixture standIns) : IClassFixture<StandInsFixture>
{
    private const string Token = "/dvcqg/oauth2/token";
    private const string Lookup = "/dvcqg/api/TraCuuHoSo";
    private static readonly string PortalCode = (string)StandInData.Submissions[0]["MaHoSo"]!;

    [Fact]
    public async Task Token_ClientCredentialsOnce_ThenCachedAcrossCalls()
    {
        using var scope = standIns.CreateScope();
        await using var host = ConnectorHost.Create(scope);

        await host.Portal.LookupAsync(PortalCode, CancellationToken.None);
        await host.Portal.ListProceduresAsync(CancellationToken.None);

        var token = Assert.Single(scope.Requests(Token));
        Assert.Equal($"Basic {Convert.ToBase64String(Encoding.UTF8.GetBytes("hub-portal:portal-secret"))}", token.Header("Authorization"));
        Assert.Equal("grant_type=client_credentials", token.Body);
        var bearers = scope.Requests().Where(r => r.Path != Token).Select(r => r.Header("Authorization")).Distinct().ToList();
        Assert.Single(bearers);
        Assert.StartsWith("Bearer ", bearers[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExpiredToken_RefreshedOnceAndTheCallSucceeds()
    {
        using var scope = standIns.CreateScope();
        scope.Fail("POST", Lookup, StandInFaults.ExpiredToken, times: 1);
        await using var host = ConnectorHost.Create(scope);

        Assert.NotNull(await host.Portal.LookupAsync(PortalCode, CancellationToken.None));

        Assert.Equal(2, scope.Requests(Token).Count);
        var lookups = scope.Requests(Lookup);
        Assert.Equal(2, lookups.Count);
        Assert.NotEqual(lookups[0].Header("Authorization"), lookups[1].Header("Authorization"));
        Assert.Equal(1, host.Count(ConnectorTelemetry.TokenRefreshes, ("system", "portal")));
        Assert.Contains(host.Logs.Lines, l => l.EventId == 4031);
    }

    [Fact]
    public async Task TokenRefusedAgainAfterTheRefresh_RejectedWithTheSystemsCodeNoLoop()
    {
        using var scope = standIns.CreateScope();
        scope.Fail("POST", Lookup, StandInFaults.ExpiredToken);
        await using var host = ConnectorHost.Create(scope);

        var error = await Assert.ThrowsAsync<GatewayException>(() => host.Portal.LookupAsync(PortalCode, CancellationToken.None));

        Assert.Equal(GatewayFailure.Rejected, error.Failure);
        Assert.Equal("100", error.ErrorCode);
        Assert.Equal(2, scope.Requests(Lookup).Count);
        Assert.Equal(2, scope.Requests(Token).Count);
    }

    [Fact]
    public async Task Token_ReplacedShortlyBeforeItExpires()
    {
        using var scope = standIns.CreateScope();
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2025, 3, 4, 9, 0, 0, TimeSpan.FromHours(7)));
        await using var host = ConnectorHost.Create(scope, time: clock);

        // The stand-in's tokens live 3600 s; the hub replaces one 60 s before it expires.
        await host.Portal.ListProceduresAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(3539));
        await host.Portal.ListProceduresAsync(CancellationToken.None);
        Assert.Single(scope.Requests(Token));

        clock.Advance(TimeSpan.FromSeconds(1));
        await host.Portal.ListProceduresAsync(CancellationToken.None);
        Assert.Equal(2, scope.Requests(Token).Count);
    }

    [Fact]
    public async Task WrongClientSecret_RejectedWithInvalidClientAndNoCallMade()
    {
        using var scope = standIns.CreateScope();
        await using var host = ConnectorHost.Create(scope, s => s["Connectors:Portal:ClientSecret"] = "not-the-secret");

        var error = await Assert.ThrowsAsync<GatewayException>(() => host.Portal.LookupAsync(PortalCode, CancellationToken.None));

        Assert.Equal(GatewayFailure.Rejected, error.Failure);
        Assert.Equal("Token", error.Operation);
        Assert.Equal("invalid_client", error.ErrorCode);
        Assert.Single(scope.Requests(Token));
        Assert.Empty(scope.Requests(Lookup));
    }

    [Fact]
    public async Task TokenEndpoint503Once_RetriedLikeAnyCallToTheSystem()
    {
        using var scope = standIns.CreateScope();
        scope.Fail("POST", Token, StandInFaults.Status503RetryAfter.WithoutRetryAfter(), times: 1);
        await using var host = ConnectorHost.Create(scope);

        Assert.NotNull(await host.Portal.LookupAsync(PortalCode, CancellationToken.None));
        Assert.Equal(2, scope.Requests(Token).Count);
    }

    [Fact]
    public async Task EachSystem_ItsOwnTokenEndpointAndCredentials()
    {
        using var scope = standIns.CreateScope();
        await using var host = ConnectorHost.Create(scope);

        await host.Portal.ListProceduresAsync(CancellationToken.None);
        await host.Sectors.For("land")!.GetStatusAsync("VPDK-1", CancellationToken.None);

        Assert.Single(scope.Requests(Token));
        var land = Assert.Single(scope.Requests("/vpdkdd/oauth2/token"));
        Assert.Equal($"Basic {Convert.ToBase64String(Encoding.UTF8.GetBytes("hub-land:land-secret"))}", land.Header("Authorization"));
    }
}
