using System.Net;
using System.Text.Json;
using IntegrationHub.Connectors.Resilience;
using IntegrationHub.Core.Gateways;
using Microsoft.Extensions.Logging;
using Polly.CircuitBreaker;
using Polly.RateLimiting;
using Polly.Timeout;
using Refit;

namespace IntegrationHub.Connectors.Wire;

/// <summary>
/// Sends a system's requests and reads its replies, turning every way a call can fail into a
/// <see cref="GatewayException"/> that names the system and the call: unreachable or still failing
/// after the retries (<see cref="GatewayFailure.Unavailable"/>), refused with the system's own code
/// (<see cref="GatewayFailure.Rejected"/>), or answered with something unreadable
/// (<see cref="GatewayFailure.MalformedReply"/>, naming the field).
/// </summary>
internal sealed class GatewayCalls(string system, ConnectorMetrics metrics, ILogger logger)
{
    /// <summary>
    /// Sends a call of the system's API; transport failures and refusals by the resilience pipeline
    /// become <see cref="GatewayFailure.Unavailable"/>.
    /// </summary>
    /// <param name="operation">The call's name, as the pipeline counts it (the API method's without <c>Async</c>).</param>
    /// <param name="send">The call.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<HttpResponseMessage> SendAsync(string operation, Func<CancellationToken, Task<HttpResponseMessage>> send, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(send);
        try
        {
            return await send(cancellationToken);
        }
        catch (ApiRequestException ex) when (ex.InnerException is { } inner && inner is not OperationCanceledException)
        {
            // Refit wraps what happened before a reply arrived; what happened is the inner exception.
            throw Classify(operation, inner);
        }
        catch (Exception ex) when (ex is BrokenCircuitException or RateLimiterRejectedException or TimeoutRejectedException or HttpRequestException)
        {
            throw Classify(operation, ex);
        }
    }

    private GatewayException Classify(string operation, Exception failure) => failure switch
    {
        GatewayException gateway => gateway, // the token request failed first: that is the answer
        BrokenCircuitException broken => Rejected(operation, broken),
        RateLimiterRejectedException => Unavailable(operation, "the hub already has as many calls in flight and waiting as the system's concurrency limit allows", inner: failure),
        TimeoutRejectedException timeout => Unavailable(operation, $"it did not answer within {timeout.Timeout:g}", inner: failure),
        HttpRequestException http => Unavailable(operation, $"the request failed ({http.HttpRequestError}): {http.Message}", inner: failure),
        _ => Unavailable(operation, failure.GetType().Name, inner: failure),
    };

    private GatewayException Rejected(string operation, BrokenCircuitException ex)
    {
        Log.CircuitRejected(logger, system, operation);
        metrics.Rejected(system, operation, "circuit_open");
        var until = ex.RetryAfter is { } wait ? $" for another {wait:g}" : "";
        return Unavailable(operation, $"its circuit is open after repeated failures; calls fail at once{until}", inner: ex);
    }

    /// <summary>
    /// Sends a request and reads the reply envelope. A non-success HTTP status fails the call with
    /// the system's code when the body has one; an unreadable body fails it naming the field. The
    /// envelope's <c>error_code</c> is left to the caller, which knows which codes mean what.
    /// </summary>
    public Task<TReply> CallAsync<TReply>(string operation, Func<CancellationToken, Task<HttpResponseMessage>> send, CancellationToken cancellationToken, JsonSerializerOptions? json = null)
        where TReply : WireReply => CallCoreAsync<TReply>(operation, send, returnRefusals: false, json ?? WireJson.Options, cancellationToken);

    /// <summary>
    /// Like <see cref="CallAsync{TReply}"/>, but a refusal (4xx) whose body is the gateway's envelope is
    /// returned rather than thrown, for calls whose refusals carry a verdict the caller acts on (the
    /// portal's "already exists").
    /// </summary>
    public Task<WireReply> CallForVerdictAsync(string operation, Func<CancellationToken, Task<HttpResponseMessage>> send, CancellationToken cancellationToken) =>
        CallCoreAsync<WireReply>(operation, send, returnRefusals: true, WireJson.Options, cancellationToken);

    private async Task<TReply> CallCoreAsync<TReply>(string operation, Func<CancellationToken, Task<HttpResponseMessage>> send, bool returnRefusals, JsonSerializerOptions json, CancellationToken cancellationToken)
        where TReply : WireReply
    {
        using var response = await SendAsync(operation, send, cancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var envelope = TryReadEnvelope(body);
            if (returnRefusals && envelope is TReply { ErrorCode: not null } verdict && !TransientFailures.IsTransient(response.StatusCode))
            {
                return verdict;
            }

            throw Failed(operation, response.StatusCode, envelope);
        }

        TReply? reply;
        try
        {
            reply = JsonSerializer.Deserialize<TReply>(body, json);
        }
        catch (JsonException ex)
        {
            throw Malformed(operation, ex.Path ?? "$", ex.Message, ex);
        }

        if (reply is null)
        {
            throw Malformed(operation, "$", "the reply is empty");
        }

        return reply.ErrorCode is null ? throw Malformed(operation, "$.error_code", "missing") : reply;
    }

    /// <summary>The system refused the call: with its own code and message when it gave them.</summary>
    public GatewayException Refused(string operation, WireReply? reply, HttpStatusCode status = HttpStatusCode.OK)
    {
        var code = reply?.ErrorCode;
        Log.Refused(logger, system, operation, code ?? "no error code", (int)status);
        metrics.Refused(system, operation, code ?? $"HTTP {(int)status}");
        var how = code is null ? $"HTTP {(int)status}" : status == HttpStatusCode.OK ? $"error code {code}" : $"error code {code} (HTTP {(int)status})";
        return new GatewayException(system, operation, GatewayFailure.Rejected, $"The {system} refused {operation} with {how}{Said(reply)}", code);
    }

    /// <summary>The reply could not be read: names the field.</summary>
    public GatewayException Malformed(string operation, string field, string detail, Exception? inner = null)
    {
        Log.MalformedReply(logger, system, operation, field);
        return new GatewayException(system, operation, GatewayFailure.MalformedReply, $"The {system}'s reply to {operation} could not be read: {field}: {detail}", field: field, inner: inner);
    }

    /// <summary>A non-success HTTP status: unavailable when transient (the retries are spent), refused otherwise.</summary>
    public GatewayException Failed(string operation, HttpStatusCode status, WireReply? envelope)
    {
        if (!TransientFailures.IsTransient(status))
        {
            return Refused(operation, envelope, status);
        }

        var code = envelope?.ErrorCode is { } own ? $" with error code {own}" : "";
        return Unavailable(operation, $"it answered HTTP {(int)status}{code}", Said(envelope), envelope?.ErrorCode);
    }

    private GatewayException Unavailable(string operation, string cause, string said = "", string? errorCode = null, Exception? inner = null)
    {
        // The system's own words go into the exception only: a reply body is never logged.
        Log.Unavailable(logger, system, operation, cause);
        return new GatewayException(system, operation, GatewayFailure.Unavailable, $"The {system} is unavailable for {operation}: {cause}{said}.", errorCode, inner: inner);
    }

    private static string Said(WireReply? reply) => string.IsNullOrWhiteSpace(reply?.Message) ? "" : $": {reply.Message}";

    private static WireReply? TryReadEnvelope(byte[] body)
    {
        try
        {
            return body.Length == 0 ? null : JsonSerializer.Deserialize<WireReply>(body, WireJson.Options);
        }
        catch (JsonException)
        {
            // An error page that is not the gateway's JSON (a proxy's HTML, say): the status code says enough.
            return null;
        }
    }
}
