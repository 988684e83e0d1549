namespace IntegrationHub.Core.Gateways;

/// <summary>How a call to an external system failed.</summary>
public enum GatewayFailure
{
    /// <summary>
    /// The system could not be reached or kept failing (timeouts, 5xx, 429 after the retries, an open
    /// circuit): worth trying again later.
    /// </summary>
    Unavailable,

    /// <summary>The system refused the request with its own error code (a 4xx, or an <c>error_code</c> other than 0): not retried.</summary>
    Rejected,

    /// <summary>The system's reply could not be read; <see cref="GatewayException.Field"/> names what was wrong.</summary>
    MalformedReply,
}

/// <summary>A call to an external system failed; the message names the system, the call and the cause.</summary>
public sealed class GatewayException : Exception
{
    /// <summary>Creates the exception.</summary>
    public GatewayException(string system, string operation, GatewayFailure failure, string message, string? errorCode = null, string? field = null, Exception? inner = null)
        : base(message, inner)
    {
        System = system;
        Operation = operation;
        Failure = failure;
        ErrorCode = errorCode;
        Field = field;
    }

    /// <summary>The external system, e.g. <c>portal</c>, <c>population</c>, <c>land</c>.</summary>
    public string System { get; }

    /// <summary>The call, e.g. <c>SyncDossier</c>.</summary>
    public string Operation { get; }

    /// <summary>How it failed.</summary>
    public GatewayFailure Failure { get; }

    /// <summary>The system's own error code, when it gave one.</summary>
    public string? ErrorCode { get; }

    /// <summary>The reply field that could not be read, for a malformed reply.</summary>
    public string? Field { get; }
}
