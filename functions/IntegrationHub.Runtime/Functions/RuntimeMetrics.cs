using System.Diagnostics.Metrics;

namespace IntegrationHub.Runtime.Functions;

/// <summary>The runtime's instruments on the <c>IntegrationHub.Runtime</c> meter, tagged by function.</summary>
internal sealed class RuntimeMetrics
{
    public const string MeterName = "IntegrationHub.Runtime";

    private readonly Counter<long> processed;
    private readonly Counter<long> failed;
    private readonly Counter<long> deadLettered;
    private readonly Histogram<double> duration;

    public RuntimeMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        processed = meter.CreateCounter<long>("hub.function.messages.processed", "{message}", "Messages a queue function processed successfully.");
        failed = meter.CreateCounter<long>("hub.function.messages.failed", "{message}", "Deliveries on which a queue function threw.");
        deadLettered = meter.CreateCounter<long>("hub.function.messages.dead_lettered", "{message}", "Messages a queue function's runtime dead-lettered.");
        duration = meter.CreateHistogram<double>("hub.function.duration", "ms", "How long a queue function ran on a message.");
    }

    public void Processed(string function, TimeSpan elapsed)
    {
        processed.Add(1, Tag(function));
        duration.Record(elapsed.TotalMilliseconds, Tag(function));
    }

    public void Failed(string function, TimeSpan elapsed)
    {
        failed.Add(1, Tag(function));
        duration.Record(elapsed.TotalMilliseconds, Tag(function));
    }

    public void DeadLettered(string function, string reason) =>
        deadLettered.Add(1, Tag(function), new KeyValuePair<string, object?>("reason", reason));

    private static KeyValuePair<string, object?> Tag(string function) => new("function", function);
}
