using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace IntegrationHub.Schemas;

/// <summary>
/// HTTP body: an operator corrects a dead letter's body and replays it under its own message id.
/// The change (before and after, field by field) and its author are kept in the audit log.
/// </summary>
public sealed record DeadLetterEditRequest
{
    /// <summary>
    /// The corrected body: the whole JSON document that replaces the dead letter's body. When the
    /// message's contract (its subject) has a published schema, the body must satisfy it.
    /// </summary>
    public required JsonObject Body { get; init; }

    /// <summary>Say what would change, and where the message would go, without replaying.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool DryRun { get; init; }

    /// <summary>Why the operator corrects it (kept in the audit log).</summary>
    public required string Comment { get; init; }
}

/// <summary>HTTP body: an operator stops a replay job; the dead letters not yet replayed stay where they are.</summary>
public sealed record ReplayJobCancellation
{
    /// <summary>Why the operator stops it (kept in the audit log).</summary>
    public required string Comment { get; init; }
}
