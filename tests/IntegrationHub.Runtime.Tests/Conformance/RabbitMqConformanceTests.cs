using IntegrationHub.Runtime.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Runtime.Tests.Conformance;

/// <summary>
/// The conformance suite on the RabbitMQ transport, against the real broker; alone, after the tests
/// that run in parallel, since one of them restarts the broker the others use.
/// </summary>
[Collection(BrokerRestart.Collection)]
public sealed class RabbitMqConformanceTests(RabbitMqBroker broker) : BrokerConformanceTests
{
    protected override IReadOnlyDictionary<string, string?> TransportSettings { get; } = new Dictionary<string, string?>
    {
        ["Messaging:Transport"] = "rabbitmq",
        ["Messaging:RabbitMq:Uri"] = broker.Uri.ToString(),
        ["Messaging:RabbitMq:ReconnectInterval"] = "00:00:01",
    };

    protected override Task RemoveQueuesAsync(IEnumerable<string> queues) => broker.DeleteQueuesAsync(queues);

    [Fact]
    public async Task Broker_RestartedMidRun_EveryMessageTakesEffectOnce()
    {
        // The work is held after its hundredth effect, with messages under locks, while the broker
        // restarts: the restart lands mid-run however long it takes, and the work goes on after it.
        var work = await PrepareWorkAsync(runWorkHere: true, extra: new Dictionary<string, string?> { ["TestWork:HoldAfterEffects"] = "100" });
        await WaitForEffectsAsync(work.Host, n => n >= 100);

        await broker.RestartAsync(TimeSpan.FromSeconds(90));
        var effectsAfterRestart = await work.Host.ScalarAsync("SELECT COUNT(*) FROM test_work_effects");
        work.Host.Services.GetRequiredService<WorkGate>().Open();
        await WaitForEffectsAsync(work.Host, n => n == 400);

        Assert.InRange(effectsAfterRestart, 100, 399);
        await AssertEveryItemTookEffectOnceAsync(work);
    }
}

/// <summary>Tests that restart the shared broker run by themselves, once the others are done.</summary>
[CollectionDefinition(Collection, DisableParallelization = true)]
public sealed class BrokerRestart
{
    public const string Collection = "broker restart";
}
