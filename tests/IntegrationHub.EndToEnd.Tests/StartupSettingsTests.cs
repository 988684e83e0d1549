namespace IntegrationHub.EndToEnd.Tests;

/// <summary>
/// A bad setting stops the host at start: exit code 1 and, on standard error, one line naming the
/// setting's full key and why; no stack trace anywhere.
/// </summary>
[Trait("Category", "E2E")]
public sealed class StartupSettingsTests
{
    public static TheoryData<string, string?, string> BadSettings => new()
    {
        { "Messaging:Transport", "kafka", "Messaging:Transport must be 'embedded', 'rabbitmq' or 'servicebus' (was 'kafka')" },
        { "Messaging:Store", "oracle", "Messaging:Store must be 'sqlite' or 'postgres'" },
        { "Messaging:LockDuration", "00:00:00", "Messaging:LockDuration must be between 1 second and 5 minutes" },
        { "Messaging:MaxDeliveryCount", "0", "Messaging:MaxDeliveryCount must be between 1 and 2000" },
        { "Messaging:PollInterval", "five", "'Messaging:PollInterval'" },
        { "Messaging:HostJsonPath", "/nonexistent/host.json", "Messaging:HostJsonPath names '/nonexistent/host.json', which does not exist" },
        { "Messaging:Transport", "rabbitmq", "Messaging:RabbitMq:Uri is required" },
        { "Messaging:Transport", "servicebus", "Messaging:ServiceBus:ConnectionString or Messaging:ServiceBus:Namespace is required" },
        { "Flows:PortalPollInterval", "-00:00:01", "Flows:PortalPollInterval must be between 1 second and 1 hour" },
        { "Flows:PortalPageSize", "abc", "'Flows:PortalPageSize'" },
        { "Flows:WebhookSecret", "short", "Flows:WebhookSecret must be at least 32 characters" },
        { "Flows:DeadlineCheckInterval", "00:00:00", "Flows:DeadlineCheckInterval must be between 1 second and 1 day" },
        { "DossierCodes:AgencyCode", "H26", "DossierCodes:AgencyCode must be an agency electronic identifier" },
        { "Identity:AuditKey", "not base64", "Identity:AuditKey must be base64 of at least 32 bytes" },
        { "Identity:CacheDuration", "02:00:00", "Identity:CacheDuration must be between 0 and 1 hour" },
        { "Operations:JobLease", "00:00:01", "Operations:JobLease must be between 5 seconds and 10 minutes" },
        { "ReferenceData:Directory", "/nonexistent/data", "ReferenceData:Directory '/nonexistent/data' does not exist" },
        { "ReferenceData:WorkingHours", "25:00-26:00", "ReferenceData:WorkingHours is not valid" },
        { "Telemetry:OtlpEndpoint", "collector", "Telemetry:OtlpEndpoint must be an absolute http or https URL" },
        { "Telemetry:OtlpProtocol", "soap", "Telemetry:OtlpProtocol must be http/protobuf or grpc" },
        { "Audit:SigningKeyPath", "/nonexistent/audit.pem", "Audit:SigningKeyPath: there is no file /nonexistent/audit.pem" },
        { "Audit:SigningKeyPath", "", "Audit:SigningKeyPath is required" },
        { "Audit:RetiredKeyPaths:0", "/nonexistent/old.pem", "Audit:RetiredKeyPaths:0: there is no file /nonexistent/old.pem" },
        { "Audit:SealInterval", "00:00:00", "Audit:SealInterval must be between 1 second and 5 minutes" },
        { "Audit:CheckpointEveryEntries", "0", "Audit:CheckpointEveryEntries must be between 1 and 10,000,000" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public async Task Start_WithABadSetting_ExitsWith1NamingTheSettingAndWhy(string key, string? value, string expected)
    {
        using var keys = new TestKeys();
        var settings = HubSettings.For(new Uri("http://127.0.0.1:9/"), HubSettings.NewDatabasePath(), keys);
        settings[key] = value;

        var (exitCode, output, error) = await HubExit.RunAsync(settings, TimeSpan.FromSeconds(90));

        Assert.Equal(1, exitCode);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.Contains(key, StringComparison.Ordinal));
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output + error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_WithSeveralBadSettings_NamesEachOnALineOfItsOwn()
    {
        using var keys = new TestKeys();
        var settings = HubSettings.For(new Uri("http://127.0.0.1:9/"), HubSettings.NewDatabasePath(), keys);
        settings["Messaging:LockDuration"] = "00:00:00";
        settings["Flows:PortalPollInterval"] = "-00:00:01";
        settings["Identity:CacheDuration"] = "02:00:00";

        var (exitCode, _, error) = await HubExit.RunAsync(settings, TimeSpan.FromSeconds(90));

        Assert.Equal(1, exitCode);
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.All(["Messaging:LockDuration", "Flows:PortalPollInterval", "Identity:CacheDuration"], key => Assert.Single(lines, l => l.Contains(key, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Start_WithAHostJsonItRefuses_ExitsWith1NamingTheHostJsonSetting()
    {
        using var keys = new TestKeys();
        var hostJson = Path.Combine(Path.GetDirectoryName(HubSettings.NewDatabasePath())!, "host.json");
        Directory.CreateDirectory(Path.GetDirectoryName(hostJson)!);
        await File.WriteAllTextAsync(hostJson, """{ "version": "2.0", "extensions": { "serviceBus": { "maxConcurrentCalls": 0 } } }""", TestContext.Current.CancellationToken);
        var settings = HubSettings.For(new Uri("http://127.0.0.1:9/"), HubSettings.NewDatabasePath(), keys);
        settings["Messaging:HostJsonPath"] = hostJson;

        var (exitCode, _, error) = await HubExit.RunAsync(settings, TimeSpan.FromSeconds(90));

        Assert.Equal(1, exitCode);
        Assert.Contains("host.json extensions.serviceBus.maxConcurrentCalls must be between 1 and 1000", error, StringComparison.Ordinal);
    }
}
