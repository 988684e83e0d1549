namespace IntegrationHub.Schemas;

/// <summary>
/// HTTP body: an operator has retention delete every entry of the three logs that a signed checkpoint
/// covers; the checkpoint is kept, the deletion is signed for and recorded in the operator audit log,
/// and what remains still verifies from that checkpoint on.
/// </summary>
public sealed record AuditRetentionRequest
{
    /// <summary>The checkpoint whose entries are deleted; it must be older than the hub's minimum retention age.</summary>
    public required long ThroughCheckpoint { get; init; }

    /// <summary>Why (kept in the operator audit log), e.g. the retention rule applied.</summary>
    public required string Comment { get; init; }
}
