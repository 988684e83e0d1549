using System.Net.Http.Headers;
using IntegrationHub.StandIns;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.EndToEnd.Tests;

/// <summary>
/// The function host in this process: its queue and timer functions run for real against its own
/// database and the stand-ins; every call it makes to them carries the test's scope.
/// </summary>
public sealed class InProcessHub : WebApplicationFactory<Program>
{
    private readonly IReadOnlyDictionary<string, string?> settings;
    private readonly StandInScope? scope;
    private readonly ILoggerProvider? logs;

    public InProcessHub(IReadOnlyDictionary<string, string?> settings, StandInScope? scope, ILoggerProvider? logs = null)
    {
        this.settings = settings;
        this.scope = scope;
        this.logs = logs;
    }

    /// <summary>
    /// Serves over a real loopback port (Kestrel) rather than in memory, for clients outside this
    /// process's HttpClient: a browser, the command line. Call before first use; <see cref="Url"/> then says where.
    /// </summary>
    public InProcessHub OnLoopback()
    {
        UseKestrel(options => options.Listen(System.Net.IPAddress.Loopback, 0));
        StartServer();
        return this;
    }

    /// <summary>Where the hub listens when <see cref="OnLoopback"/> was called.</summary>
    public Uri Url => new(Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
        .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses.First());

    public HttpClient ClientWith(string token)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        if (logs is not null)
        {
            builder.ConfigureLogging(logging => logging.AddProvider(logs));
        }

        if (scope is not null)
        {
            builder.ConfigureTestServices(services => services.ConfigureHttpClientDefaults(client => client.AddHttpMessageHandler(scope.CreateHandler)));
        }
    }
}
