using System.Text.Json.Serialization;

namespace IntegrationHub.Connectors.Wire;

/// <summary>The envelope every national gateway reply has: <c>{ "error_code": "0", "message": "... thành công" }</c>.</summary>
internal record WireReply
{
    /// <summary>"0" on success; the system's own code otherwise.</summary>
    [JsonPropertyName("error_code")]
    public string? ErrorCode { get; init; }

    /// <summary>The system's message, in Vietnamese.</summary>
    [JsonPropertyName("message")]
    public string? Message { get; init; }

    /// <summary>Success is code 0; some gateways write it "00".</summary>
    [JsonIgnore]
    public bool IsSuccess => ErrorCode is { Length: > 0 } code && code.All(c => c == '0');
}

/// <summary>An envelope with its payload under <c>data</c>.</summary>
/// <typeparam name="T">The payload.</typeparam>
internal sealed record WireReply<T> : WireReply
{
    [JsonPropertyName("data")]
    public T? Data { get; init; }
}

/// <summary>The gateway codes the hub acts on (seen in a provincial API guide).</summary>
internal static class GatewayCodes
{
    public const string Success = "0";

    /// <summary>The record asked for does not exist.</summary>
    public const string RecordNotFound = "201";
}
