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
        await using var hub = TestHub.Start(standIns.Server, settings =>
        {
            settings["Messaging:Transport"] = "rabbitmq";
            settings["Messaging:RabbitMq:Uri"] = broker.Uri.ToString();
        });

        await FeedReconciliation.WaitUntilSettledAsync(hub.Probe, TimeSpan.FromMinutes(3));

        await FeedReconciliation.AssertAsync(hub.Probe, hub.Hub.ClientWith, hub.Keys, () => hub.Scope.Requests(), () => hub.Scope.Requests(), pullWaitSeconds: 1);
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
