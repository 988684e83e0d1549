using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text;
using IntegrationHub.Core.Messaging;
using IntegrationHub.Runtime.Functions;
using IntegrationHub.Runtime.Tests.Fakes;
using Microsoft.Extensions.DependencyInjection;
using static IntegrationHub.Runtime.Tests.Conformance.Messages;

namespace IntegrationHub.Runtime.Tests.Functions;

/// <summary>The runtime reports, per function, what it processed, what failed and what it dead-lettered.</summary>
[Trait("Category", "Unit")]
public sealed class MetricsTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("hub-metrics-").FullName;
    private readonly ConcurrentQueue<(object? Scope, string Instrument, long Value, string? Function)> measurements = new();
    private readonly MeterListener listener = new();
    private object? scope;

    public MetricsTests()
    {
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "IntegrationHub.Runtime")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            measurements.Enqueue((instrument.Meter.Scope, instrument.Name, value, tags.ToArray().FirstOrDefault(t => t.Key == "function").Value as string)));
        listener.Start();
    }

    public void Dispose()
    {
        listener.Dispose();
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task QueueFunction_ProcessesAndDeadLetters_CountsEachPerFunction()
    {
        var settings = new Dictionary<string, string?> { ["Messaging:DatabasePath"] = Path.Combine(folder, "hub.db") };
        await using var host = await HubHost.StartAsync(settings, TimeProvider.System, services => services
            .AddSingleton(new Probe())
            .AddQueueFunction<Order, ProcessOrderOnQueue>("orders", o => o.Name = "ProcessOrderOnQueue"));
        await host.Admin.EnsureQueueAsync("orders", CancellationToken.None);
        scope = host.Services.GetRequiredService<IMeterFactory>();

        await host.Client.SendBatchAsync("orders", [Body("o-1", """{"number":1}"""), Body("o-2", """{"number":2}"""), Body("o-3", "not json")], CancellationToken.None);
        await WaitUntilAsync(() => Task.FromResult(Count("hub.function.messages.processed") == 2 && Count("hub.function.messages.dead_lettered") == 1), TimeSpan.FromSeconds(15), "the measurements");

        Assert.All(measurements.Where(m => m.Scope == scope), m => Assert.Equal("ProcessOrderOnQueue", m.Function));
    }

    // Other tests' hosts report on meters of the same name; this host's are those of its meter factory.
    private long Count(string instrument) => measurements.Where(m => m.Scope == scope && m.Instrument == instrument).Sum(m => m.Value);

    private static OutgoingMessage Body(string id, string json) => new() { MessageId = id, Body = Encoding.UTF8.GetBytes(json) };
}
