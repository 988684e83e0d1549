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

        Assert.Contains("Messaging:Transport must be 'embedded', 'rabbitmq' or 'servicebus' (was 'kafka')", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_RabbitMqWithoutUri_FailsNamingTheSetting()
    {
        var error = await StartFailsAsync<OptionsValidationException>(new() { ["Messaging:Transport"] = "rabbitmq" });

        Assert.Contains("Messaging:RabbitMq:Uri is required", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_ServiceBusWithoutANamespace_FailsNamingBothSettings()
    {
        var error = await StartFailsAsync<OptionsValidationException>(new() { ["Messaging:Transport"] = "servicebus" });

        Assert.Contains("Messaging:ServiceBus:ConnectionString or Messaging:ServiceBus:Namespace is required when Messaging:Transport is 'servicebus'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_ServiceBusConnectionStringWithoutAKey_FailsNamingTheSettingButNotTheString()
    {
        var error = await StartFailsAsync<OptionsValidationException>(new()
        {
            ["Messaging:Transport"] = "servicebus",
            ["Messaging:ServiceBus:ConnectionString"] = "Endpoint=sb://hub-secret-host.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey",
        });

        Assert.Contains("Messaging:ServiceBus:ConnectionString is not a valid Service Bus connection string: it needs SharedAccessKeyName with SharedAccessKey", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hub-secret-host", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_ServiceBusNamespaceAsAUrl_FailsNamingTheSetting()
    {
        var error = await StartFailsAsync<OptionsValidationException>(new()
        {
            ["Messaging:Transport"] = "servicebus",
            ["Messaging:ServiceBus:Namespace"] = "sb://hub.servicebus.windows.net/",
        });

        Assert.Contains("Messaging:ServiceBus:Namespace must be the namespace's host name, e.g. hub.servicebus.windows.net (was 'sb://hub.servicebus.windows.net/')", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_ServiceBusClientRetryModeUnknown_FailsNamingTheHostJsonSetting()
    {
        var settings = HostJson("""{ "extensions": { "serviceBus": { "clientRetryOptions": { "mode": "linear" } } } }""");
        settings["Messaging:Transport"] = "servicebus";
        settings["Messaging:ServiceBus:Namespace"] = "hub.servicebus.windows.net";

        var error = await StartFailsAsync<OptionsValidationException>(settings);

        Assert.Contains("host.json extensions.serviceBus.clientRetryOptions.mode must be 'exponential' or 'fixed' (was 'linear')", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_UnknownStore_FailsNamingTheSetting()
    {
        var error = await StartFailsAsync<OptionsValidationException>(new() { ["Messaging:Store"] = "oracle" });

        Assert.Contains("Messaging:Store must be 'sqlite' or 'postgres' (was 'oracle')", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_PostgresStoreWithTheEmbeddedTransport_FailsSayingWhy()
    {
        var error = await StartFailsAsync<OptionsValidationException>(new()
        {
            ["Messaging:Store"] = "postgres",
            ["Messaging:PostgreSql:ConnectionString"] = "Host=127.0.0.1;Database=hub",
        });

        Assert.Contains("Messaging:Store 'postgres' needs Messaging:Transport 'rabbitmq' or 'servicebus'", error.Message, StringComparison.Ordinal);
        Assert.Contains("the embedded transport keeps its queues in the SQLite hub database", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_PostgresStoreWithoutConnectionString_FailsNamingTheSetting()
    {
        var error = await StartFailsAsync<OptionsValidationException>(new() { ["Messaging:Store"] = "postgres", ["Messaging:Transport"] = "rabbitmq", ["Messaging:RabbitMq:Uri"] = "amqp://127.0.0.1/" });

        Assert.Contains("Messaging:PostgreSql:ConnectionString is required when Messaging:Store is 'postgres'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_PostgresConnectionStringNotValid_FailsNamingTheSettingButNotThePassword()
    {
        var error = await StartFailsAsync<OptionsValidationException>(new()
        {
            ["Messaging:Store"] = "postgres",
            ["Messaging:Transport"] = "rabbitmq",
            ["Messaging:RabbitMq:Uri"] = "amqp://127.0.0.1/",
            ["Messaging:PostgreSql:ConnectionString"] = "Host=db;Pasword=s3cret-value",
        });

        Assert.Contains("Messaging:PostgreSql:ConnectionString is not a valid Npgsql connection string", error.Message, StringComparison.Ordinal);
        Assert.Contains("pasword", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("s3cret-value", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_ASecondInstanceOnTheSameSqliteFile_IsRefusedSayingSeveralNeedPostgres()
    {
        var settings = Settings([]);
        await using var running = await HubHost.StartAsync(settings, TimeProvider.System);

        using var second = ChildHost.Start(settings);
        var exitCode = await second.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.NotEqual(0, exitCode);
        Assert.Contains("Another hub instance is running on the SQLite hub database", second.Output, StringComparison.Ordinal);
        Assert.Contains("set Messaging:Store to 'postgres' and Messaging:Transport to 'rabbitmq'", second.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_AfterTheInstanceOnTheSqliteFileWasKilled_Succeeds()
    {
        var settings = Settings(new() { ["Logging:LogLevel:IntegrationHub.Runtime.Store.StoreMaintenance"] = "Information" });
        using var first = ChildHost.Start(settings);
        await Conformance.Messages.WaitUntilAsync(() => Task.FromResult(first.Output.Contains("started on the sqlite store", StringComparison.Ordinal)), TimeSpan.FromSeconds(60), "the first instance to start");

        var refused = await StartFailsAsync<InvalidOperationException>(settings);
        first.Kill();
        await using var next = await HubHost.StartAsync(settings, TimeProvider.System);

        Assert.Contains("Another hub instance is running on the SQLite hub database", refused.Message, StringComparison.Ordinal);
        Assert.NotNull(next.Client);
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
    public async Task Start_HostJsonPathToAMissingFile_FailsNamingTheSetting()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => HubHost.StartAsync(Settings(new() { ["Messaging:HostJsonPath"] = Path.Combine(folder, "nope.json") }), TimeProvider.System));

        Assert.Contains("Messaging:HostJsonPath", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_HostJsonNotJson_FailsNamingTheFile()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => HubHost.StartAsync(Settings(HostJson("{ extensions: ")), TimeProvider.System));

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
