namespace IntegrationHub.Connectors;

/// <summary>
/// The connectors' telemetry names, for a host that exports metrics (e.g.
/// <c>AddMeter(ConnectorTelemetry.MeterName)</c>). Every instrument carries a <c>system</c> tag
/// (<c>portal</c>, <c>population</c>, <c>land</c>, <c>business</c>, ...).
/// </summary>
public static class ConnectorTelemetry
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "IntegrationHub.Connectors";

    /// <summary>Counter of retried attempts; tags <c>system</c>, <c>operation</c>, <c>outcome</c> (what failed, e.g. <c>HTTP 503</c>).</summary>
    public const string Retries = "integrationhub.connectors.retries";

    /// <summary>Counter of circuit openings; tag <c>system</c>.</summary>
    public const string CircuitOpened = "integrationhub.connectors.circuit.opened";

    /// <summary>
    /// Counter of calls refused before reaching the system; tags <c>system</c>, <c>operation</c>,
    /// <c>reason</c> (<c>circuit_open</c> or <c>concurrency_limit</c>).
    /// </summary>
    public const string Rejections = "integrationhub.connectors.rejections";

    /// <summary>
    /// Counter of calls the system refused with its own code (never retried); tags <c>system</c>,
    /// <c>operation</c>, <c>error_code</c> (the system's code, or <c>HTTP 4xx</c> when it gave none).
    /// </summary>
    public const string Refusals = "integrationhub.connectors.refusals";

    /// <summary>Counter of tokens replaced after the system refused them with 401; tag <c>system</c>.</summary>
    public const string TokenRefreshes = "integrationhub.connectors.token.refreshes";
}
