using Azure.Messaging.ServiceBus;
using Azure.Messaging.ServiceBus.Administration;
using Microsoft.Extensions.Time.Testing;

namespace IntegrationHub.ServiceBusDouble.Tests;

/// <summary>
/// A double started for one test, with the two SDK clients a hub would make from its one
/// connection string. Tests that need time to pass use the fake clock.
/// </summary>
public sealed class TestNamespace : IAsyncDisposable
{
    TestNamespace(ServiceBusDouble serviceBus, FakeTimeProvider? clock)
    {
        Double = serviceBus;
        Clock = clock;
        Client = new ServiceBusClient(serviceBus.ConnectionString, ClientOptions());
        Admin = new ServiceBusAdministrationClient(serviceBus.ConnectionString);
    }

    public ServiceBusDouble Double { get; }

    /// <summary>
    /// Short retries: the SDK retries even UnauthorizedAccessException (BasicRetryPolicy), which with
    /// the default options takes about ten seconds to surface.
    /// </summary>
    public static ServiceBusClientOptions ClientOptions() => new()
    {
        RetryOptions = new ServiceBusRetryOptions { MaxRetries = 1, Delay = TimeSpan.FromMilliseconds(50), TryTimeout = TimeSpan.FromSeconds(20) },
    };

    public FakeTimeProvider? Clock { get; }

    public ServiceBusClient Client { get; }

    public ServiceBusAdministrationClient Admin { get; }

    /// <summary>A fake clock at a fixed instant, with whole milliseconds as AMQP timestamps carry.</summary>
    public static FakeTimeProvider NewClock() => new(new DateTimeOffset(2025, 3, 1, 8, 0, 0, TimeSpan.Zero));

    public static async Task<TestNamespace> StartAsync(FakeTimeProvider? clock = null, params (string Name, QueueSettings? Settings)[] queues)
    {
        var options = new ServiceBusDoubleOptions { TimeProvider = (TimeProvider?)clock ?? TimeProvider.System };
        ServiceBusDouble serviceBus = await ServiceBusDouble.StartAsync(options, TestContext.Current.CancellationToken);
        foreach ((string name, QueueSettings? settings) in queues)
        {
            serviceBus.DeclareQueue(name, settings);
        }

        return new TestNamespace(serviceBus, clock);
    }

    public static Task<TestNamespace> StartAsync(params string[] queues) =>
        StartAsync(null, queues.Select(q => (q, (QueueSettings?)null)).ToArray());

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await Double.DisposeAsync();
    }
}
