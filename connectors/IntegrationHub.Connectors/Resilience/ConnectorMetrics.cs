using System.Diagnostics.Metrics;

namespace IntegrationHub.Connectors.Resilience;

/// <summary>
/// The counters of the <c>IntegrationHub.Connectors</c> meter, every one tagged with the
/// <c>system</c> it concerns.
/// </summary>
internal sealed class ConnectorMetrics
{
    private readonly Counter<long> retries;
    private readonly Counter<long> circuitOpened;
    private readonly Counter<long> rejections;
    private readonly Counter<long> tokenRefreshes;
    private readonly Counter<long> refusals;

    public ConnectorMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(ConnectorTelemetry.MeterName);
        retries = meter.CreateCounter<long>(ConnectorTelemetry.Retries, "{retry}", "Attempts repeated after a transient failure.");
        circuitOpened = meter.CreateCounter<long>(ConnectorTelemetry.CircuitOpened, "{break}", "Times a system's circuit opened.");
        rejections = meter.CreateCounter<long>(ConnectorTelemetry.Rejections, "{call}", "Calls refused without reaching the system: open circuit, or concurrency limit and queue full.");
        tokenRefreshes = meter.CreateCounter<long>(ConnectorTelemetry.TokenRefreshes, "{refresh}", "Tokens replaced because the system refused them (401).");
        refusals = meter.CreateCounter<long>(ConnectorTelemetry.Refusals, "{call}", "Calls the system refused with its own error code (a 4xx, or error_code other than 0); never retried.");
    }

    public void Retry(string system, string operation, string outcome) =>
        retries.Add(1, new("system", system), new("operation", operation), new("outcome", outcome));

    public void CircuitOpened(string system) => circuitOpened.Add(1, new KeyValuePair<string, object?>("system", system));

    public void Rejected(string system, string operation, string reason) =>
        rejections.Add(1, new("system", system), new("operation", operation), new("reason", reason));

    public void Refused(string system, string operation, string errorCode) =>
        refusals.Add(1, new("system", system), new("operation", operation), new("error_code", errorCode));

    public void TokenRefused(string system) => tokenRefreshes.Add(1, new KeyValuePair<string, object?>("system", system));
}
