using Azure.Messaging.ServiceBus;
using Azure.Messaging.ServiceBus.Administration;

namespace IntegrationHub.ServiceBusDouble.Tests;

/// <summary>
/// Shared access signatures are checked against the rule's key, so a wrong key fails as on a
/// namespace (learn.microsoft.com/azure/service-bus-messaging/service-bus-sas).
/// </summary>
public sealed class AuthorizationTests
{
    static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Client_WithAWrongKey_IsUnauthorized()
    {
        await using TestNamespace sb = await TestNamespace.StartAsync("intake");
        await using var client = new ServiceBusClient(WithKey(sb.Double.ConnectionString, "d3Jvbmcta2V5LXdyb25nLWtleS13cm9uZy1rZXk="), TestNamespace.ClientOptions());
        await using ServiceBusSender sender = client.CreateSender("intake");

        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => sender.SendMessageAsync(new ServiceBusMessage("x"), Token));
    }

    [Fact]
    public async Task Client_WithAWrongKeyName_IsUnauthorized()
    {
        await using TestNamespace sb = await TestNamespace.StartAsync("intake");
        string connectionString = sb.Double.ConnectionString.Replace("SharedAccessKeyName=RootManageSharedAccessKey", "SharedAccessKeyName=Other", StringComparison.Ordinal);
        await using var client = new ServiceBusClient(connectionString, TestNamespace.ClientOptions());
        await using ServiceBusReceiver receiver = client.CreateReceiver("intake");

        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => receiver.ReceiveMessageAsync(TimeSpan.FromSeconds(2), Token));
    }

    [Fact]
    public async Task AdministrationClient_WithAWrongKey_IsUnauthorized()
    {
        await using TestNamespace sb = await TestNamespace.StartAsync("intake");
        var admin = new ServiceBusAdministrationClient(WithKey(sb.Double.ConnectionString, "d3Jvbmcta2V5LXdyb25nLWtleS13cm9uZy1rZXk="));

        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => admin.GetQueueAsync("intake", Token));
    }

    [Fact]
    public async Task BothClients_FromOneConnectionString_ReachTheSameNamespace()
    {
        await using TestNamespace sb = await TestNamespace.StartAsync();
        await sb.Admin.CreateQueueAsync("status", Token);
        await using ServiceBusSender sender = sb.Client.CreateSender("status");
        await sender.SendMessageAsync(new ServiceBusMessage("x"), Token);

        QueueRuntimeProperties runtime = await sb.Admin.GetQueueRuntimePropertiesAsync("status", Token);

        Assert.Equal(1, runtime.ActiveMessageCount);
    }

    static string WithKey(string connectionString, string key) =>
        string.Join(';', connectionString.Split(';').Select(part => part.StartsWith("SharedAccessKey=", StringComparison.Ordinal) ? "SharedAccessKey=" + key : part));
}
