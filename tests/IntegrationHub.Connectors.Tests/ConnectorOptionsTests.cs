using IntegrationHub.Connectors;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Connectors.Tests;

[Trait("Category", "Contract")]
public sealed class ConnectorOptionsTests
{
    private static readonly Uri StandIn = new("http://127.0.0.1:9");

    [Fact]
    public void AddConnectors_PortalWithoutBaseUrl_StopsAtStartNamingTheSetting()
    {
        var settings = StandInData.ConnectorSettings(StandIn);
        settings.Remove("Connectors:Portal:BaseUrl");

        var error = Assert.Throws<OptionsValidationException>(() => ConnectorHost.Create(null, settings));

        Assert.Contains("Connectors:Portal:BaseUrl:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddConnectors_AttemptTimeoutAboveTotal_StopsAtStart()
    {
        var settings = StandInData.ConnectorSettings(StandIn);
        settings["Connectors:Population:AttemptTimeout"] = "00:01:00";

        var error = Assert.Throws<OptionsValidationException>(() => ConnectorHost.Create(null, settings));

        Assert.Contains("Connectors:Population:AttemptTimeout", error.Message, StringComparison.Ordinal);
        Assert.Contains("AttemptTimeout (00:01:00) must not exceed TotalTimeout (00:00:20)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddConnectors_NegativeRetries_StopsAtStartNamingTheNestedSetting()
    {
        var settings = StandInData.ConnectorSettings(StandIn);
        settings["Connectors:Sectors:Land:Retry:MaxRetries"] = "-1";

        var error = Assert.Throws<OptionsValidationException>(() => ConnectorHost.Create(null, settings));

        Assert.Contains("Connectors:Sectors:Land:Retry:MaxRetries:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddConnectors_RelativeTokenEndpoint_StopsAtStart()
    {
        var settings = StandInData.ConnectorSettings(StandIn);
        settings["Connectors:Portal:TokenEndpoint"] = "/oauth2/token";

        var error = Assert.Throws<OptionsValidationException>(() => ConnectorHost.Create(null, settings));

        Assert.Contains("TokenEndpoint must be an absolute http or https address", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Circuits_EveryConfiguredSystemListedClosedAtStart()
    {
        await using var host = ConnectorHost.Create(null, StandInData.ConnectorSettings(StandIn));

        Assert.Equal(["business", "land", "population", "portal"], host.Circuits.Current.Select(c => c.System));
        Assert.All(host.Circuits.Current, c => Assert.Equal((CircuitStatus.Closed, null, 0), (c.State, c.Since, c.InFlight)));
    }

    [Fact]
    public async Task Sectors_OnlyThoseWithASection()
    {
        var settings = StandInData.ConnectorSettings(StandIn);
        foreach (var key in settings.Keys.Where(k => k.StartsWith("Connectors:Sectors:Business", StringComparison.Ordinal)).ToList())
        {
            settings.Remove(key);
        }

        await using var host = ConnectorHost.Create(null, settings);

        Assert.NotNull(host.Sectors.For("land"));
        Assert.Null(host.Sectors.For("business"));
    }
}
