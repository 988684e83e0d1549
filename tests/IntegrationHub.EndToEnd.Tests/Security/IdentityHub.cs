using IntegrationHub.Testing.WireMock;

namespace IntegrationHub.EndToEnd.Tests.Security;

/// <summary>
/// One hub for the identity tests, asking the population stand-in; the portal feed is not pulled, so
/// that only identity checks reach the store.
/// </summary>
public sealed class IdentityHub : IAsyncLifetime
{
    public const string NarrowPurpose = "tax-declaration";

    private readonly WireMockFixture wireMock = new();

    public TestKeys Keys { get; } = new();

    public WireMockScope Scope { get; private set; } = null!;

    public InProcessHub Hub { get; private set; } = null!;

    public string DatabasePath { get; private set; } = "";

    public async Task InitializeAsync()
    {
        await wireMock.InitializeAsync();
        Scope = wireMock.CreateScope();
        var settings = EndToEnd.Settings(wireMock.Url, Keys);
        settings["Flows:PortalPollInterval"] = "01:00:00";
        settings[$"Identity:Purposes:{NarrowPurpose}:0"] = "FullName";
        DatabasePath = settings["Messaging:DatabasePath"]!;
        Hub = new InProcessHub(settings, Scope).Started();
    }

    public HttpClient Officer(string subject = "officer-01") => Hub.ClientWith(Keys.Token(["officer"], subject: subject, unit: "Bộ phận Một cửa Tây Hồ"));

    public async Task DisposeAsync()
    {
        await Hub.DisposeAsync();
        await Scope.DisposeAsync();
        Keys.Dispose();
    }
}
