using System.Net;
using System.Text.Json;
using IntegrationHub.Connectors.Resilience;
using IntegrationHub.Core.Gateways;
using Microsoft.Extensions.Logging;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace IntegrationHub.Connectors.Wire;

/// <summary>
/// Sends a system's requests and reads its replies, turning every way a call can fail into a
/// <see cref="GatewayException"/> that names the system and the call: unreachable or still failing
/// after the retries (<see cref="GatewayFailure.Unavailable"/>), refused with the system's own code
/// (<see cref="GatewayFailure.Rejected"/>), or answered with something unreadable
/// (<see cref="GatewayFailure.MalformedReply"/>, naming the field).
/// </summary>
internal sealed class GatewayCalls(string system, HttpClient http, ConnectorMetrics metrics, ILogger logger)
{
    /// <summary>Sends a request; transport failures and refusals by the resilience pipeline become <see cref="GatewayFailure.Unavailable"/>.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var operation = ConnectorRequest.OperationOf(request);
        try
        {
            return await http.SendAsync(request, cancellationToken);
        }
        catch (BrokenCircuitException ex)
        {
            Log.CircuitRejected(logger, system, operation);
            metrics.Rejected(system, operation, "circuit_open");
            var until = ex.RetryAfter is { } wait ? $" for another {wait:g}" : "";
            throw Unavailable(operation, $"its circuit is open after repeated failures; calls fail at once{until}", inner: ex);
        }
        catch (ConcurrencyLimitRejectedException ex)
        {
            throw Unavailable(operation, "the hub already has as many calls in flight and waiting as the system's concurrency limit allows", inner: ex);
        }
        catch (TimeoutRejectedException ex)
        {
            throw Unavailable(operation, $"it did not answer within {ex.Timeout:g}", inner: ex);
        }
        catch (HttpRequestException ex)
        {
            throw Unavailable(operation, $"the request failed ({ex.HttpRequestError}): {ex.Message}", inner: ex);
        }
    }

    /// <summary>
    /// Sends a request and reads the reply envelope. A non-success HTTP status fails the call with
    /// the system's code when the body has one; an unreadable body fails it naming the field. The
    /// envelope's <c>error_code</c> is left to the caller, which knows which codes mean what.
    /// </summary>
    public Task<TReply> CallAsync<TReply>(HttpRequestMessage request, CancellationToken cancellationToken)
        where TReply : WireReply => CallCoreAsync<TReply>(request, returnRefusals: false, cancellationToken);

    /// <summary>
    /// Like <see cref="CallAsync{TReply}"/>, but a refusal (4xx) whose body is the gateway's envelope is
    /// returned rather than thrown, for calls whose refusals carry a verdict the caller acts on (the
    /// portal's "already exists").
    /// </summary>
    public Task<WireReply> CallForVerdictAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        CallCoreAsync<WireReply>(request, returnRefusals: true, cancellationToken);

    private async Task<TReply> CallCoreAsync<TReply>(HttpRequestMessage request, bool returnRefusals, CancellationToken cancellationToken)
        where TReply : WireReply
    {
        var operation = ConnectorRequest.OperationOf(request);
        using var response = await SendAsync(request, cancellationToken);
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
            reply = JsonSerializer.Deserialize<TReply>(body, WireJson.Options);
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
