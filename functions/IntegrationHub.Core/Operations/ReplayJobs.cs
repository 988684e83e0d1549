using IntegrationHub.Core.Messaging;

namespace IntegrationHub.Core.Operations;

/// <summary>Where a replay job is.</summary>
public enum ReplayJobStatus
{
    /// <summary>Replaying (or waiting for a host to resume it).</summary>
    Running,
    /// <summary>Every item was tried.</summary>
    Completed,
    /// <summary>Stopped by an operator; the items not yet tried stay dead letters.</summary>
    Cancelled,
}

/// <summary>What became of one dead letter of a replay job.</summary>
public enum ReplayItemState
{
    /// <summary>Not tried yet.</summary>
    Pending,
    /// <summary>Back in its source queue.</summary>
    Replayed,
    /// <summary>No longer in the dead-letter queue when its turn came (replayed by someone else, or held).</summary>
    NotFound,
    /// <summary>The transport refused it; the error says why.</summary>
    Failed,
}

/// <summary>
/// A replay of dead letters back to their source queue, throttled, kept in the store so that a
/// restarted host resumes it where it stopped.
/// </summary>
public sealed record ReplayJob
{
    /// <summary>The job's id.</summary>
    public required string Id { get; init; }

    /// <summary>The source queue the dead letters go back to.</summary>
    public required string Queue { get; init; }

    /// <summary>Who started it (token subject).</summary>
    public required string Actor { get; init; }

    /// <summary>Who started it, by name.</summary>
    public required string ActorName { get; init; }

    /// <summary>The unit of who started it, when the token said.</summary>
    public string ActorUnit { get; init; } = "";

    /// <summary>Why.</summary>
    public required string Comment { get; init; }

    /// <summary>How the dead letters were chosen (message ids, or the filter), as JSON.</summary>
    public required string Selection { get; init; }

    /// <summary>Replays per second at most.</summary>
    public required int MaxPerSecond { get; init; }

    /// <summary>When it was started.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Where it is.</summary>
    public required ReplayJobStatus Status { get; init; }

    /// <summary>When it completed or was cancelled.</summary>
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>Who cancelled it, if anyone.</summary>
    public string? CancelledBy { get; init; }

    /// <summary>How many of its items are in each state.</summary>
    public IReadOnlyDictionary<ReplayItemState, int> Counts { get; init; } = new Dictionary<ReplayItemState, int>();
}

/// <summary>One dead letter of a replay job, as a peek found it.</summary>
public sealed record ReplayItem
{
    /// <summary>Its place in the job (replays go in this order).</summary>
    public required int Position { get; init; }

    /// <summary>Its sequence number in the dead-letter queue.</summary>
    public required long SequenceNumber { get; init; }

    /// <summary>Its message id (kept by the replay).</summary>
    public required string MessageId { get; init; }

    /// <summary>Its correlation id (the dossier's portal code).</summary>
    public string? CorrelationId { get; init; }

    /// <summary>Why it was dead-lettered.</summary>
    public string? Reason { get; init; }

    /// <summary>What became of it.</summary>
    public ReplayItemState State { get; init; }

    /// <summary>When it was tried.</summary>
    public DateTimeOffset? TriedAt { get; init; }

    /// <summary>Why the transport refused it, when it did.</summary>
    public string? Error { get; init; }

    /// <summary>The body to replay it with in place of its own (an operator's correction), if any.</summary>
    public ReadOnlyMemory<byte>? ReplacementBody { get; init; }

    /// <summary>What the dossier's timeline says when it is replayed, when not the replay's standard words.</summary>
    public string? Note { get; init; }
}

/// <summary>A job taken by its creator for a while, so that no runner starts it meanwhile.</summary>
/// <param name="Owner">Who holds it.</param>
/// <param name="Until">When another may take it.</param>
public readonly record struct ReplayClaim(string Owner, DateTimeOffset Until);

/// <summary>The replay jobs and their items in the hub store.</summary>
public interface IReplayJobs
{
    /// <summary>Creates a job with its items when <paramref name="transaction"/> commits, held by <paramref name="claim"/> when given.</summary>
    Task CreateAsync(IHubTransaction transaction, ReplayJob job, IReadOnlyList<ReplayItem> items, ReplayClaim? claim, CancellationToken cancellationToken);

    /// <summary>A job with its counts, or null.</summary>
    Task<ReplayJob?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>The latest jobs, newest first.</summary>
    Task<IReadOnlyList<ReplayJob>> ListAsync(int limit, CancellationToken cancellationToken);

    /// <summary>A job's items from <paramref name="fromPosition"/> on, in order; only pending ones when <paramref name="pendingOnly"/>.</summary>
    Task<IReadOnlyList<ReplayItem>> ItemsAsync(string id, int fromPosition, int limit, bool pendingOnly, CancellationToken cancellationToken);

    /// <summary>
    /// Takes (or keeps) the running job for <paramref name="owner"/> until <paramref name="until"/>:
    /// false when the job is not running or another owner holds it.
    /// </summary>
    Task<bool> TryClaimAsync(string id, string owner, DateTimeOffset now, DateTimeOffset until, CancellationToken cancellationToken);

    /// <summary>Lets go of the job, so that another host may resume it at once.</summary>
    Task ReleaseAsync(string id, string owner, CancellationToken cancellationToken);

    /// <summary>The ids of running jobs no one holds now, oldest first.</summary>
    Task<IReadOnlyList<string>> UnclaimedAsync(DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Records, in <paramref name="transaction"/>, what became of a pending item; false when it was no longer pending.</summary>
    Task<bool> RecordAsync(IHubTransaction transaction, string id, int position, ReplayItemState state, DateTimeOffset at, string? error, CancellationToken cancellationToken);

    /// <summary>Marks a running job completed.</summary>
    Task CompleteAsync(string id, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Marks a running job cancelled, in <paramref name="transaction"/>; false when it was not running.</summary>
    Task<bool> CancelAsync(IHubTransaction transaction, string id, string by, DateTimeOffset at, CancellationToken cancellationToken);
}
