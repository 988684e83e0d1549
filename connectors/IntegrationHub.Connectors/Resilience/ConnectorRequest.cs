namespace IntegrationHub.Connectors.Resilience;

/// <summary>
/// What the resilience pipeline needs to know about a request: the call's name (for logs and
/// metrics) and whether sending it twice is harmless.
/// </summary>
internal static class ConnectorRequest
{
    /// <summary>The header a system reads to apply a repeated request once.</summary>
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    private static readonly HttpRequestOptionsKey<string> OperationKey = new("IntegrationHub.Connectors.Operation");
    private static readonly HttpRequestOptionsKey<bool> RetrySafeKey = new("IntegrationHub.Connectors.RetrySafe");

    /// <summary>Creates a request for a named call.</summary>
    /// <param name="method">The HTTP method.</param>
    /// <param name="path">The path, relative to the system's base address (or an absolute address).</param>
    /// <param name="operation">The call's name, e.g. <c>SyncDossier</c>.</param>
    /// <param name="retrySafe">
    /// True when repeating the request cannot apply it twice although its method is not idempotent:
    /// a read sent as POST (to keep personal data out of URLs), or a write keyed by a natural key the
    /// system deduplicates on (the portal's dossier code).
    /// </param>
    public static HttpRequestMessage Create(HttpMethod method, string path, string operation, bool retrySafe = false)
    {
        var request = new HttpRequestMessage(method, new Uri(path, UriKind.RelativeOrAbsolute));
        request.Options.Set(OperationKey, operation);
        if (retrySafe)
        {
            request.Options.Set(RetrySafeKey, true);
        }

        return request;
    }

    /// <summary>The call's name, or the method and path when it has none.</summary>
    public static string OperationOf(HttpRequestMessage request) =>
        request.Options.TryGetValue(OperationKey, out var operation) ? operation : $"{request.Method} {request.RequestUri}";

    /// <summary>
    /// Whether the request may be sent again after it may already have been applied: idempotent
    /// methods, requests with an <c>Idempotency-Key</c>, and requests marked retry-safe.
    /// </summary>
    public static bool IsRetrySafe(HttpRequestMessage request) =>
        request.Method == HttpMethod.Get || request.Method == HttpMethod.Head || request.Method == HttpMethod.Options
        || request.Method == HttpMethod.Put || request.Method == HttpMethod.Delete
        || request.Headers.Contains(IdempotencyKeyHeader)
        || (request.Options.TryGetValue(RetrySafeKey, out var safe) && safe);
}
