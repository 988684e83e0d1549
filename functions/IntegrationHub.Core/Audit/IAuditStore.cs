using IntegrationHub.Core.Operations;
using IntegrationHub.Schemas;

namespace IntegrationHub.Core.Audit;

/// <summary>What came of a retention: the entries and seals deleted, chain by chain.</summary>
/// <param name="Entries">Entries deleted from the logs.</param>
/// <param name="Seals">Seals deleted.</param>
public readonly record struct RetentionResult(long Entries, long Seals);

/// <summary>The last verification a hub ran by itself, as the operations page shows it.</summary>
/// <param name="At">When it ran.</param>
/// <param name="Intact">Whether everything held.</param>
/// <param name="Entries">Entries checked.</param>
/// <param name="Summary">Its one-line answer.</param>
public sealed record AuditVerificationRecord(DateTimeOffset At, bool Intact, long Entries, string Summary);

/// <summary>The audit chains as the sealer and retention change them: seals, checkpoints, retention records.</summary>
public interface IAuditStore
{
    /// <summary>
    /// Gives every entry of <paramref name="chain"/> written and not sealed yet its place after the
    /// chain's head, <paramref name="max"/> at a time, each batch in a unit of work of its own; answers
    /// how many it sealed.
    /// </summary>
    Task<int> SealAsync(string chain, int max, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Each chain's head as sealed.</summary>
    Task<IReadOnlyList<AuditChainHead>> HeadsAsync(CancellationToken cancellationToken);

    /// <summary>The newest checkpoint, or null before the first.</summary>
    Task<AuditCheckpoint?> LastCheckpointAsync(CancellationToken cancellationToken);

    /// <summary>Stores a signed checkpoint; false when one with its number is there already (another sealer got there first).</summary>
    Task<bool> TryAddCheckpointAsync(AuditCheckpoint checkpoint, CancellationToken cancellationToken);

    /// <summary>
    /// Records a signed retention and the operator's action that asked for it, then deletes every
    /// entry and seal the retained checkpoint covers (the one delete the database allows).
    /// </summary>
    /// <exception cref="InvalidOperationException">The checkpoint is not in the store, or an earlier retention already went further.</exception>
    Task<RetentionResult> RetainAsync(AuditRetention retention, OperatorAction action, CancellationToken cancellationToken);

    /// <summary>Records the result of a verification the hub ran by itself.</summary>
    Task RecordVerificationAsync(AuditVerificationRecord verification, CancellationToken cancellationToken);

    /// <summary>The newest recorded verification, or null.</summary>
    Task<AuditVerificationRecord?> LastVerificationAsync(CancellationToken cancellationToken);
}

/// <summary>Opens a consistent, read-only view of the chains for one verification.</summary>
public interface IAuditSnapshots
{
    /// <summary>A reader over one snapshot of the store: every read sees the same moment (dispose it).</summary>
    Task<IAuditSnapshot> OpenAsync(CancellationToken cancellationToken);
}

/// <summary>A read-only view of the chains at one moment.</summary>
public interface IAuditSnapshot : IAuditChainReader, IAsyncDisposable;
