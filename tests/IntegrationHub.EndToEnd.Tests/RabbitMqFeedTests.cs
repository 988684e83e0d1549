using IntegrationHub.Core.Messaging;
using IntegrationHub.Functions.Flows;
using IntegrationHub.Testing.WireMock;
using RabbitMQ.Client;

namespace IntegrationHub.EndToEnd.Tests;

/// <summary>The main feed scenario again with the queues on a real RabbitMQ broker.</summary>
[Trait("Category", "E2E")]
[Collection(EndToEnd.Collection)]
public sealed class RabbitMqFeedTests(WireMockFixture wireMock, RabbitMqBroker broker) : IClassFixture<WireMockFixture>, IClassFixture<RabbitMqBroker>
{
    [Fact]
    public async Task SampleFeed_OnRabbitMq_EveryItemEndsAsExpectedAndCountsReconcile()
    {
        await DeleteHubQueuesAsync();
        using var keys = new TestKeys();
        await using var scope = wireMock.CreateScope();
        var settings = EndToEnd.Settings(wireMock.Url, keys);
        settings["Messaging:Transport"] = "rabbitmq";
        settings["Messaging:RabbitMq:Uri"] = broker.Uri.ToString();
        await using var hub = new InProcessHub(settings, scope);
        await using var probe = HubProbe.Of(hub.Started());

        await FeedReconciliation.WaitUntilSettledAsync(probe, TimeSpan.FromMinutes(3));

        await FeedReconciliation.AssertAsync(probe, hub.ClientWith, keys, () => scope.RequestsAsync(), () => scope.RequestsAsync(), pullWaitSeconds: 1);
    }

    /// <summary>The broker outlives test runs: start from empty hub and department queues.</summary>
    private async Task DeleteHubQueuesAsync()
    {
        var queues = HubQueues.All.Concat(ReferenceDataFiles.Default.Routing.Versions.SelectMany(v => v.Departments).Select(d => d.Queue).OfType<string>()).Distinct();
        await using var connection = await new ConnectionFactory { Uri = broker.Uri }.CreateConnectionAsync();
        foreach (var queue in queues.SelectMany(q => new[] { q, QueueNames.DeadLetterOf(q) }))
        {
            await using var channel = await connection.CreateChannelAsync();
            await channel.QueueDeleteAsync(queue);
        }
    }
}
