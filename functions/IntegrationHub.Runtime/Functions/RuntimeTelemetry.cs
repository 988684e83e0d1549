using System.Diagnostics;
using IntegrationHub.Core.Messaging;

namespace IntegrationHub.Runtime.Functions;

/// <summary>
/// The runtime's traces: one activity per queue function invocation, a child of the trace the
/// message carries in its <c>traceparent</c> property (W3C Trace Context), so that the steps of one
/// dossier share a trace across queue hops; and one per timer occurrence. Activities exist only while
/// something listens (an exporter or a test's listener).
/// </summary>
public static class RuntimeTelemetry
{
    /// <summary>The runtime's activity source.</summary>
    public const string ActivitySourceName = "IntegrationHub.Runtime";

    /// <summary>The runtime's meter (processed, failed, dead-lettered, duration per function).</summary>
    public const string MeterName = RuntimeMetrics.MeterName;

    /// <summary>The application property that carries the W3C trace context of a message.</summary>
    public const string TraceParentProperty = "traceparent";

    /// <summary>The application property that carries the W3C trace state, when there is one.</summary>
    public const string TraceStateProperty = "tracestate";

    private static readonly ActivitySource Source = new(ActivitySourceName);

    /// <summary>Starts the activity of one function invocation on a message: a consumer span under the message's trace.</summary>
    internal static Activity? StartProcessing(string function, ReceivedMessage message)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        message.ApplicationProperties.TryGetValue(TraceParentProperty, out var traceParent);
        message.ApplicationProperties.TryGetValue(TraceStateProperty, out var traceState);
        ActivityContext.TryParse(traceParent, traceState, isRemote: true, out var parent);
        var activity = Source.StartActivity($"process {message.Queue}", ActivityKind.Consumer, parent);
        activity?.SetTag("messaging.system", "integrationhub")
            .SetTag("messaging.operation.type", "process")
            .SetTag("messaging.destination.name", message.Queue)
            .SetTag("messaging.message.id", message.MessageId)
            .SetTag("messaging.message.conversation_id", message.CorrelationId)
            .SetTag("messaging.message.delivery_count", message.DeliveryCount)
            .SetTag("hub.function", function);
        return activity;
    }

    /// <summary>Starts the activity of one timer occurrence.</summary>
    internal static Activity? StartTimer(string name) =>
        Source.StartActivity($"timer {name}", ActivityKind.Internal)?.SetTag("hub.function", name);

    /// <summary>Marks an activity as failed, naming what went wrong without its message (which may hold data).</summary>
    internal static void Failed(Activity? activity, string what) => activity?.SetStatus(ActivityStatusCode.Error, what);
}
