using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace IntegrationHub.Functions.Tests;

/// <summary>The function host in-process, trusting <see cref="TestKeys"/>.</summary>
public sealed class HostFixture : WebApplicationFactory<Program>
{
    public TestKeys Keys { get; } = new();

    public Dictionary<string, string?> Settings { get; } = [];

    /// <summary>A clock for the host that moves only when the test moves it; the real clock when null.</summary>
    public FakeTimeProvider? Clock { get; init; }

    /// <summary>Registrations that replace the host's own (applied after them).</summary>
    public Action<IServiceCollection>? Replacements { get; init; }

    public HttpClient ClientWith(string? token)
    {
        var client = CreateClient();
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");

        // No call reaches the stand-ins in these tests: the flows' timer waits an hour.
        foreach (var (key, value) in HubSettings.For(new Uri("http://127.0.0.1:9/"), HubSettings.NewDatabasePath(), Keys))
        {
            builder.UseSetting(key, value);
        }

        builder.UseSetting("Flows:PortalPollInterval", "01:00:00");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        if (Clock is { } clock)
        {
            builder.ConfigureServices(services => services.AddSingleton<TimeProvider>(clock));
        }

        if (Replacements is { } replace)
        {
            builder.ConfigureServices(replace);
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            Keys.Dispose();
        }
    }
}
