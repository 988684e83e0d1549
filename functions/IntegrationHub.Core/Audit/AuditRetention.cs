namespace IntegrationHub.Core.Audit;

/// <summary>
/// A signed record that retention deleted every entry a checkpoint covers (the checkpoint itself is
/// kept): the one sanctioned delete. Without it a chain that starts after position 1 is a finding;
/// with it the chains are verified from that checkpoint on. Someone with write access to the
/// database but not the audit key cannot make one, so cannot pass a deletion off as retention.
/// </summary>
/// <param name="ThroughCheckpoint">The checkpoint whose entries were deleted.</param>
/// <param name="At">When retention ran (kept to the millisecond).</param>
/// <param name="KeyId">The key that signed this record.</param>
/// <param name="Signature">ECDSA P-256 over the record's canonical form, IEEE P1363, base64url.</param>
public sealed record AuditRetention(long ThroughCheckpoint, DateTimeOffset At, string KeyId, string Signature);
