using IntegrationHub.Core.Messaging;

namespace IntegrationHub.Core.Operations;

/// <summary>What operators do that the audit log records.</summary>
public static class OperatorActions
{
    /// <summary>A replay job started: one dead letter, a selection, or all that match a filter.</summary>
    public const string Replay = "replay";

    /// <summary>A replay looked at without replaying: what would go where.</summary>
    public const string DryRun = "dryRun";

    /// <summary>A dead letter's body corrected and replayed.</summary>
    public const string EditAndReplay = "editAndReplay";

    /// <summary>A correction looked at without replaying.</summary>
    public const string EditDryRun = "editDryRun";

    /// <summary>A replay job stopped before its end.</summary>
    public const string CancelJob = "cancelJob";

    /// <summary>Entries of the audit chains deleted by retention, up to a signed checkpoint that is kept.</summary>
    public const string AuditRetention = "auditRetention";

    /// <summary>Every action, for checking a filter.</summary>
    public static IReadOnlyList<string> All { get; } = [Replay, DryRun, EditAndReplay, EditDryRun, CancelJob, AuditRetention];
}

/// <summary>One entry of the append-only operator audit log: who did what, when, to which messages, and why.</summary>
public sealed record OperatorAction
{
    /// <summary>The entry's position in the log (given by the log).</summary>
    public long Id { get; init; }

    /// <summary>When.</summary>
    public required DateTimeOffset At { get; init; }

    /// <summary>Who: the token's subject.</summary>
    public required string Actor { get; init; }

    /// <summary>Who, by name: the token's name.</summary>
    public required string ActorName { get; init; }

    /// <summary>The operator's unit, when the token says.</summary>
    public string Unit { get; init; } = "";

    /// <summary>What (one of <see cref="OperatorActions"/>).</summary>
    public required string Action { get; init; }

    /// <summary>The source queue concerned, if any.</summary>
    public string? Queue { get; init; }

    /// <summary>The message concerned, when the action concerns one.</summary>
    public string? MessageId { get; init; }

    /// <summary>The replay job concerned, if any.</summary>
    public string? JobId { get; init; }

    /// <summary>Why: the operator's comment.</summary>
    public required string Comment { get; init; }

    /// <summary>The particulars as JSON: the selection and its size, or an edit's changes.</summary>
    public string? Detail { get; init; }
}

/// <summary>Which audit entries to read; every given condition must hold.</summary>
/// <param name="Actor">The token subject.</param>
/// <param name="Action">One of <see cref="OperatorActions"/>.</param>
/// <param name="Queue">The source queue.</param>
/// <param name="MessageId">The message.</param>
/// <param name="JobId">The replay job.</param>
/// <param name="From">At or after.</param>
/// <param name="To">Before.</param>
/// <param name="Limit">At most this many, newest first.</param>
public sealed record OperatorActionFilter(string? Actor, string? Action, string? Queue, string? MessageId, string? JobId, DateTimeOffset? From, DateTimeOffset? To, int Limit);

/// <summary>
/// The operator audit log: entries are appended, never changed or removed (the store refuses both).
/// An entry is written in the unit of work of the action it records.
/// </summary>
public interface IOperatorAuditLog
{
    /// <summary>Appends an entry when <paramref name="transaction"/> commits.</summary>
    Task AppendAsync(IHubTransaction transaction, OperatorAction action, CancellationToken cancellationToken);

    /// <summary>Reads entries, newest first.</summary>
    Task<IReadOnlyList<OperatorAction>> ListAsync(OperatorActionFilter filter, CancellationToken cancellationToken);
}
