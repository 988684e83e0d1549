using IntegrationHub.Core.Messaging;
using IntegrationHub.Functions.Flows;
using IntegrationHub.StandIns;
using RabbitMQ.Client;

namespace IntegrationHub.EndToEnd.Tests;

/// <summary>The main feed scenario again with the queues on a real RabbitMQ broker.</summary>
[Trait("Category", "E2E")]
[Collection(EndToEnd.Collection)]
public sealed class RabbitMqFeedTests(StandInsFixture standIns, RabbitMqBroker broker) : IClassFixture<StandInsFixture>
{
    [Fact]
    public async Task SampleFeed_OnRabbitMq_EveryItemEndsAsExpectedAndCountsReconcile()
    {
        await DeleteHubQueuesAsync();
        using var keys = new TestKeys();
        using var scope = standIns.CreateScope();
        var settings = EndToEnd.Settings(standIns.Url, keys);
        settings["Messaging:Transport"] = "rabbitmq";
        settings["Messaging:RabbitMq:Uri"] = broker.Uri.ToString();
        await using var hub = new InProcessHub(settings, scope);
        await using var probe = HubProbe.Of(hub.Started());

        await FeedReconciliation.WaitUntilSettledAsync(probe, TimeSpan.FromMinutes(3));

        await FeedReconciliation.AssertAsync(probe, hub.ClientWith, keys, () => scope.Requests(), () => scope.Requests(), pullWaitSeconds: 1);
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
