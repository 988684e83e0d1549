namespace IntegrationHub.Schemas;

/// <summary>
/// HTTP body: the answer of the audit verifier: whether every chain holds, up to which signed
/// checkpoint, and otherwise each place that does not hold.
/// </summary>
public sealed record AuditVerificationReport
{
    /// <summary>Whether every chain, checkpoint and exported checkpoint holds.</summary>
    public required bool Intact { get; init; }

    /// <summary>The answer in one line: "N entries in K chains, intact up to checkpoint …", or the first place that does not hold.</summary>
    public required string Summary { get; init; }

    /// <summary>When the verification ran.</summary>
    public required DateTimeOffset VerifiedAt { get; init; }

    /// <summary>Sealed entries checked, over every chain.</summary>
    public required long Entries { get; init; }

    /// <summary>Each chain.</summary>
    public required IReadOnlyList<AuditChainReport> Chains { get; init; }

    /// <summary>The newest checkpoint every chain was checked against, when there is one.</summary>
    public AuditCheckpointReport? IntactThrough { get; init; }

    /// <summary>The newest checkpoint in the store whose signature holds.</summary>
    public AuditCheckpointReport? LastCheckpoint { get; init; }

    /// <summary>The checkpoint the verification started at (<c>--from</c>), if not the beginning.</summary>
    public long? StartedAt { get; init; }

    /// <summary>The checkpoint retention deleted through (kept, and signed for by a retention record): the chains are verified from it.</summary>
    public AuditCheckpointReport? RetainedThrough { get; init; }

    /// <summary>How many exported checkpoints (an auditor's copy) were checked.</summary>
    public int ExportedCheckpoints { get; init; }

    /// <summary>How many of the store's checkpoints were checked.</summary>
    public int Checkpoints { get; init; }

    /// <summary>Each place that does not hold, in chain order, the first of each chain first; empty when intact.</summary>
    public required IReadOnlyList<AuditFinding> Findings { get; init; }
}

/// <summary>One chain as the verifier found it.</summary>
public sealed record AuditChainReport
{
    /// <summary>The chain.</summary>
    public required string Chain { get; init; }

    /// <summary>The log it holds, in words.</summary>
    public required string Log { get; init; }

    /// <summary>The first position checked (after a retention cut or a <c>--from</c> checkpoint, more than 1).</summary>
    public required long FirstPosition { get; init; }

    /// <summary>Sealed entries checked.</summary>
    public required long Entries { get; init; }

    /// <summary>The chain's length: the last sealed position.</summary>
    public required long Length { get; init; }

    /// <summary>Entries after the last checkpoint: chained, not yet covered by a signature.</summary>
    public required long AfterLastCheckpoint { get; init; }

    /// <summary>Entries written but not yet sealed (the sealer gives them a position within seconds).</summary>
    public required long Unsealed { get; init; }
}

/// <summary>A checkpoint as the verifier names it.</summary>
public sealed record AuditCheckpointReport
{
    /// <summary>Its number.</summary>
    public required long Number { get; init; }

    /// <summary>When it was signed.</summary>
    public required DateTimeOffset At { get; init; }

    /// <summary>The key that signed it.</summary>
    public required string KeyId { get; init; }
}

/// <summary>What kind of place does not hold.</summary>
public enum AuditProblem
{
    /// <summary>The entry is not what was sealed: its hash, recomputed, differs from the one stored.</summary>
    EntryAltered,
    /// <summary>The sealed entry is no longer in its table.</summary>
    EntryMissing,
    /// <summary>The seal's previous hash is not the hash of the entry before it.</summary>
    LinkBroken,
    /// <summary>A position of the chain is missing (entries deleted, or a chain cut short before a retention checkpoint).</summary>
    PositionMissing,
    /// <summary>The chain's hash at a checkpoint's count is not the one the checkpoint signed: the chain was rewritten before it.</summary>
    CheckpointMismatch,
    /// <summary>The chain is shorter than a checkpoint says: its tail was cut off.</summary>
    ChainShort,
    /// <summary>A checkpoint's signature does not hold with the key it names.</summary>
    SignatureInvalid,
    /// <summary>A checkpoint names a key that is not among the hub's published audit keys.</summary>
    UnknownKey,
    /// <summary>A checkpoint is missing from the store: a gap in the numbers, or an exported one the store no longer has.</summary>
    CheckpointMissing,
    /// <summary>An exported checkpoint differs from the store's checkpoint of the same number.</summary>
    CheckpointDiffers,
}

/// <summary>One place that does not hold: which log, chain and position, what was expected and what was found.</summary>
public sealed record AuditFinding
{
    /// <summary>The log, in words (or <c>checkpoints</c>).</summary>
    public required string Log { get; init; }

    /// <summary>The chain, when the place is in one.</summary>
    public string? Chain { get; init; }

    /// <summary>The position in the chain (for a checkpoint of its own: the checkpoint's number).</summary>
    public required long Position { get; init; }

    /// <summary>What is wrong.</summary>
    public required AuditProblem Problem { get; init; }

    /// <summary>What should be there.</summary>
    public required string Expected { get; init; }

    /// <summary>What is there.</summary>
    public required string Found { get; init; }

    /// <summary>The checkpoint concerned, if any.</summary>
    public long? Checkpoint { get; init; }

    /// <summary>The finding in one sentence.</summary>
    public required string Message { get; init; }
}
