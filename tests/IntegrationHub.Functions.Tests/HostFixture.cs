using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace IntegrationHub.Functions.Tests;

/// <summary>The function host in-process, trusting <see cref="TestKeys"/>.</summary>
public sealed class HostFixture : WebApplicationFactory<Program>
{
    public TestKeys Keys { get; } = new();

    public Dictionary<string, string?> Settings { get; } = [];

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
        builder.UseSetting("Security:Issuer", TestKeys.Issuer);
        builder.UseSetting("Security:Audience", TestKeys.Audience);
        builder.UseSetting("Security:JwksPath", Keys.JwksPath);
        builder.UseSetting("Identity:AuditKey", Convert.ToBase64String(new byte[32]));
        builder.UseSetting("RequestLimits:PermitsPerMinute", "60000");
        builder.UseSetting("RequestLimits:Burst", "10000");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
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
