using IntegrationHub.StandIns;

namespace IntegrationHub.EndToEnd.Tests.Security;

/// <summary>
/// One hub for the identity tests, asking the population stand-in; the portal feed is not pulled, so
/// that only identity checks reach the store.
/// </summary>
public sealed class IdentityHub : IAsyncLifetime
{
    public const string NarrowPurpose = "tax-declaration";

    private StandInServer standIns = null!;

    public TestKeys Keys { get; } = new();

    public StandInScope Scope { get; private set; } = null!;

    public InProcessHub Hub { get; private set; } = null!;

    public string DatabasePath { get; private set; } = "";

    public ValueTask InitializeAsync()
    {
        standIns = StandInServer.Start();
        Scope = standIns.CreateScope();
        var settings = EndToEnd.Settings(standIns.Url, Keys);
        settings["Flows:PortalPollInterval"] = "01:00:00";
        settings[$"Identity:Purposes:{NarrowPurpose}:0"] = "FullName";
        DatabasePath = settings["Messaging:DatabasePath"]!;
        Hub = new InProcessHub(settings, Scope).Started();
        return ValueTask.CompletedTask;
    }

    public HttpClient Officer(string subject = "officer-01") => Hub.ClientWith(Keys.Token(["officer"], subject: subject, unit: "Bộ phận Một cửa Tây Hồ"));

    public async ValueTask DisposeAsync()
    {
        await Hub.DisposeAsync();
        Scope.Dispose();
        await standIns.DisposeAsync();
        Keys.Dispose();
    }
}
