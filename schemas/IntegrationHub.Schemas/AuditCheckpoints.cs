namespace IntegrationHub.Schemas;

/// <summary>
/// File and HTTP body: signed checkpoints of the hub's audit chains, exported so that an auditor can
/// keep their own copy. A later verification given this file proves that nothing these checkpoints
/// cover was rewritten since, even by someone holding the hub's audit key.
/// </summary>
public sealed record AuditCheckpointExport
{
    /// <summary>The format and its version: <c>integrationhub-audit-checkpoints/1</c>.</summary>
    public required string Format { get; init; }

    /// <summary>When the hub exported them.</summary>
    public required DateTimeOffset ExportedAt { get; init; }

    /// <summary>The checkpoints, oldest first.</summary>
    public required IReadOnlyList<AuditCheckpoint> Checkpoints { get; init; }
}

/// <summary>
/// A signed statement of every audit chain's head at one time: how many entries each chain had and
/// the hash of its last one, signed with the hub's audit key (ECDSA P-256, SHA-256).
/// </summary>
public sealed record AuditCheckpoint
{
    /// <summary>The checkpoint's number: 1 for the first, one more for each after it.</summary>
    public required long Number { get; init; }

    /// <summary>When it was signed (the signature covers this time to the millisecond).</summary>
    public required DateTimeOffset At { get; init; }

    /// <summary>The signing key's id: its JWK thumbprint (RFC 7638), as published at <c>/.well-known/audit-keys</c>.</summary>
    public required string KeyId { get; init; }

    /// <summary>Each chain's head, in ordinal order of the chain's name.</summary>
    public required IReadOnlyList<AuditChainHead> Chains { get; init; }

    /// <summary>The signature over the checkpoint's canonical form: r and s, 32 bytes each (IEEE P1363), base64url without padding.</summary>
    public required string Signature { get; init; }
}

/// <summary>The head of one chain: its entry count and its last entry's hash.</summary>
public sealed record AuditChainHead
{
    /// <summary>The chain: <c>identity</c>, <c>operator</c> or <c>timeline</c>.</summary>
    public required string Chain { get; init; }

    /// <summary>How many entries the chain has (the last one's position).</summary>
    public required long Count { get; init; }

    /// <summary>The last entry's hash, 64 lowercase hex digits (64 zeros for an empty chain).</summary>
    public required string LastHash { get; init; }
}
