using IntegrationHub.Core;
using IntegrationHub.Core.Audit;
using IntegrationHub.Schemas;

namespace IntegrationHub.Functions.Audit;

/// <summary>The chains at a glance, cheap to read: each chain's length and what is not yet sealed or signed, and the last checkpoint.</summary>
/// <param name="Chaining">Whether the sealer runs (false only while chaining's cost is measured).</param>
/// <param name="LastCheckpoint">The newest checkpoint in the store, if any.</param>
/// <param name="Chains">Each chain.</param>
/// <param name="LastVerification">The newest verification the hub ran by itself (every <c>Audit:VerifyInterval</c>), if any.</param>
internal sealed record AuditStatus(bool Chaining, AuditCheckpointReport? LastCheckpoint, IReadOnlyList<AuditChainStatus> Chains, AuditVerificationRecord? LastVerification);

/// <summary>One chain at a glance.</summary>
/// <param name="Chain">The chain.</param>
/// <param name="Log">The log it holds.</param>
/// <param name="Length">Sealed entries (the last position).</param>
/// <param name="AfterLastCheckpoint">Sealed entries the last checkpoint does not cover yet.</param>
/// <param name="Unsealed">Entries written and not sealed yet.</param>
internal sealed record AuditChainStatus(string Chain, string Log, long Length, long AfterLastCheckpoint, long Unsealed)
{
    public static AuditChainStatus Of(AuditChainHead head, AuditCheckpoint? last, long unsealed) =>
        new(head.Chain, AuditChains.LogOf(head.Chain), head.Count, head.Count - (last?.Chains.FirstOrDefault(h => h.Chain == head.Chain)?.Count ?? 0), unsealed);
}

/// <summary>How the audit API writes a checkpoint for people: its number, time (Vietnam time) and key.</summary>
internal static class AuditViews
{
    public static AuditCheckpointReport Of(AuditCheckpoint checkpoint) =>
        new() { Number = checkpoint.Number, At = VietnamTime.ToLocal(checkpoint.At), KeyId = checkpoint.KeyId };
}
