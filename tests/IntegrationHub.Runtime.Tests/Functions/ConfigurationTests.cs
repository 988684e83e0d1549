using Microsoft.Extensions.Options;

namespace IntegrationHub.Runtime.Tests.Functions;

/// <summary>A bad setting stops the host at start with a message naming the setting and why.</summary>
[Trait("Category", "Unit")]
public sealed class ConfigurationTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("hub-config-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public async Task Start_UnknownTransport_FailsNamingTheSetting()
    {
        var error = await StartFailsAsync<OptionsValidationException>(new() { ["Messaging:Transport"] = "kafka" });

        Assert.Contains("Messaging:Transport must be 'embedded' or 'rabbitmq' (was 'kafka')", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_RabbitMqWithoutUri_FailsNamingTheSetting()
    {
        var error = await StartFailsAsync<OptionsValidationException>(new() { ["Messaging:Transport"] = "rabbitmq" });

        Assert.Contains("Messaging:RabbitMq:Uri is required", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_LockDurationOutOfRange_FailsNamingTheSetting()
    {
        var error = await StartFailsAsync<OptionsValidationException>(new() { ["Messaging:LockDuration"] = "01:00:00" });

        Assert.Contains("Messaging:LockDuration must be between 1 second and 5 minutes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_HostJsonConcurrencyOfZero_FailsNamingTheSetting()
    {
        var error = await StartFailsAsync<OptionsValidationException>(HostJson("""{ "extensions": { "serviceBus": { "maxConcurrentCalls": 0 } } }"""));

        Assert.Contains("host.json extensions.serviceBus.maxConcurrentCalls must be between 1 and 1000", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_HostJsonDurationNotATimeSpan_FailsNamingTheSetting()
    {
        var error = await StartFailsAsync<InvalidOperationException>(HostJson("""{ "extensions": { "serviceBus": { "maxAutoLockRenewalDuration": "five minutes" } } }"""));

        Assert.Contains("host.json extensions.serviceBus is not valid", error.Message, StringComparison.Ordinal);
        Assert.Contains("MaxAutoLockRenewalDuration", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Start_HostJsonUnknownRetryStrategy_FailsNamingTheSetting()
    {
        var error = await StartFailsAsync<OptionsValidationException>(HostJson("""{ "retry": { "strategy": "linear", "maxRetryCount": 3 } }"""));

        Assert.Contains("host.json retry.strategy must be 'fixedDelay' or 'exponentialBackoff' (was 'linear')", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_FixedDelayWithoutItsInterval_FailsNamingTheSetting()
    {
        var error = await StartFailsAsync<OptionsValidationException>(HostJson("""{ "retry": { "strategy": "fixedDelay", "maxRetryCount": 3 } }"""));

        Assert.Contains("host.json retry.delayInterval is required for the 'fixedDelay' strategy", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddMessaging_HostJsonPathToAMissingFile_FailsNamingTheSetting()
    {
        var error = Assert.Throws<InvalidOperationException>(() => HubHost.Build(Settings(new() { ["Messaging:HostJsonPath"] = Path.Combine(folder, "nope.json") }), TimeProvider.System));

        Assert.Contains("Messaging:HostJsonPath", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddMessaging_HostJsonNotJson_FailsNamingTheFile()
    {
        var error = Assert.Throws<InvalidOperationException>(() => HubHost.Build(Settings(HostJson("{ extensions: ")), TimeProvider.System));

        Assert.Contains("host.json at", error.Message, StringComparison.Ordinal);
        Assert.Contains("is not valid JSON", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_TheRepositoryHostJson_IsAccepted()
    {
        var settings = Settings(new() { ["Messaging:HostJsonPath"] = RepoPaths.InRepo("host.json") });

        await using var host = await HubHost.StartAsync(settings, TimeProvider.System);

        Assert.NotNull(host.Client);
    }

    private Dictionary<string, string?> HostJson(string json)
    {
        var path = Path.Combine(folder, $"host-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        return new() { ["Messaging:HostJsonPath"] = path };
    }

    private Dictionary<string, string?> Settings(Dictionary<string, string?> settings)
    {
        settings.TryAdd("Messaging:DatabasePath", Path.Combine(folder, "hub.db"));
        return settings;
    }

    private async Task<TException> StartFailsAsync<TException>(Dictionary<string, string?> settings)
        where TException : Exception
    {
        using var host = HubHost.Build(Settings(settings), TimeProvider.System);
        return await Assert.ThrowsAsync<TException>(() => host.StartAsync());
    }
}
