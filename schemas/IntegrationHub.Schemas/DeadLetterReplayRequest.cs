using System.Text.Json.Serialization;

namespace IntegrationHub.Schemas;

/// <summary>
/// HTTP body: an operator replays dead letters of a queue back to it: a selection by message id,
/// or every dead letter that matches a filter. Replays are throttled, idempotent and audited.
/// </summary>
public sealed record DeadLetterReplayRequest
{
    /// <summary>The source queue whose dead-letter queue is replayed.</summary>
    public required string Queue { get; init; }

    /// <summary>The dead letters to replay, by message id; or use <see cref="Filter"/>.</summary>
    public IReadOnlyList<string>? MessageIds { get; init; }

    /// <summary>Replay every dead letter matching this filter; or use <see cref="MessageIds"/>.</summary>
    public DeadLetterFilter? Filter { get; init; }

    /// <summary>Say what would be replayed, and where to, without replaying anything.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool DryRun { get; init; }

    /// <summary>Replays per second at most; the hub's configured default when left out.</summary>
    public int? MaxPerSecond { get; init; }

    /// <summary>Why the operator replays (kept in the audit log).</summary>
    public required string Comment { get; init; }
}

/// <summary>Which dead letters a filter selects; every given condition must hold.</summary>
public sealed record DeadLetterFilter
{
    /// <summary>Exact dead-letter reason, e.g. <c>MaxDeliveryCountExceeded</c>.</summary>
    public string? Reason { get; init; }

    /// <summary>Text found in the body, the description or the message id.</summary>
    public string? Text { get; init; }

    /// <summary>Dead-lettered at or after.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Dead-lettered before.</summary>
    public DateTimeOffset? To { get; init; }
}
