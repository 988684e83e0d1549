using System.Net;
using Polly;

namespace IntegrationHub.Connectors.Resilience;

/// <summary>Which outcomes of a call are worth another attempt, and which could not have been applied.</summary>
internal static class TransientFailures
{
    /// <summary>5xx, 408 and 429: a status worth another attempt (as the resilience library's own predicate says).</summary>
    public static bool IsTransient(HttpStatusCode status) =>
        (int)status >= 500 || status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;

    /// <summary>
    /// True when the system cannot have applied the request: the connection was never made, or the
    /// system answered 408 (it did not receive the whole request) or 429 (it refused to process it).
    /// </summary>
    public static bool WasNotApplied(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError } } => true,
        { Result.StatusCode: HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests } => true,
        _ => false,
    };

    /// <summary>The pause the system asked for in <c>Retry-After</c> (seconds or an HTTP date), if any.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage? response, TimeProvider time)
    {
        var header = response?.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - time.GetUtcNow();
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }

    /// <summary>A short description of an outcome for logs: the status code or the exception type, never a body.</summary>
    public static string Describe(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Result: { } response } => $"HTTP {(int)response.StatusCode}",
        { Exception: HttpRequestException { HttpRequestError: var error } } => $"{nameof(HttpRequestException)} ({error})",
        { Exception: { } exception } => exception.GetType().Name,
        _ => "no outcome",
    };
}
