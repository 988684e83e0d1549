using System.Collections.Concurrent;
using System.Reflection;
using Refit;

namespace IntegrationHub.Connectors.Resilience;

/// <summary>
/// Marks a call of a system's API whose method is not idempotent but which cannot be applied twice
/// by sending it again: a read sent as POST (to keep personal data out of URLs), or a write keyed by
/// a natural key the system deduplicates on (the portal's dossier code).
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class RetrySafeAttribute : Attribute;

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
    private static readonly HttpRequestOptionsKey<bool> TokenRequestKey = new("IntegrationHub.Connectors.TokenRequest");
    private static readonly HttpRequestOptionsKey<string> RefitMethodKey = new(HttpRequestMessageOptions.MethodName);
    private static readonly HttpRequestOptionsKey<Type> RefitInterfaceKey = new(HttpRequestMessageOptions.InterfaceType);
    private static readonly ConcurrentDictionary<(Type, string), bool> RetrySafeMethods = new();

    /// <summary>Names a request the hub builds by hand (the token request), and says whether it is retry-safe.</summary>
    public static void Describe(HttpRequestMessage request, string operation, bool retrySafe)
    {
        request.Options.Set(OperationKey, operation);
        request.Options.Set(RetrySafeKey, retrySafe);
    }

    /// <summary>Marks the request for a system's access token, which goes through the system's pipeline but carries no token.</summary>
    public static void MarkTokenRequest(HttpRequestMessage request) => request.Options.Set(TokenRequestKey, true);

    /// <summary>Whether the request asks for an access token.</summary>
    public static bool IsTokenRequest(HttpRequestMessage request) => request.Options.TryGetValue(TokenRequestKey, out var token) && token;

    /// <summary>The call's name: the API method's without <c>Async</c> (<c>Lookup</c>), or the method and path.</summary>
    public static string OperationOf(HttpRequestMessage request) =>
        request.Options.TryGetValue(OperationKey, out var operation) ? operation
        : request.Options.TryGetValue(RefitMethodKey, out var method) ? (method.EndsWith("Async", StringComparison.Ordinal) ? method[..^5] : method)
        : $"{request.Method} {request.RequestUri}";

    /// <summary>
    /// Whether the request may be sent again after it may already have been applied: idempotent
    /// methods, requests with an <c>Idempotency-Key</c>, and calls marked <see cref="RetrySafeAttribute"/>.
    /// </summary>
    public static bool IsRetrySafe(HttpRequestMessage request) =>
        request.Method == HttpMethod.Get || request.Method == HttpMethod.Head || request.Method == HttpMethod.Options
        || request.Method == HttpMethod.Put || request.Method == HttpMethod.Delete
        || request.Headers.Contains(IdempotencyKeyHeader)
        || (request.Options.TryGetValue(RetrySafeKey, out var safe) && safe)
        || (request.Options.TryGetValue(RefitInterfaceKey, out var api) && request.Options.TryGetValue(RefitMethodKey, out var name)
            && RetrySafeMethods.GetOrAdd((api, name), key => key.Item1.GetMethod(key.Item2)?.GetCustomAttribute<RetrySafeAttribute>() is not null));
}
