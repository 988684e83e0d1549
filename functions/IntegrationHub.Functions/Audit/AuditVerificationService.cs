using IntegrationHub.Core.Audit;
using IntegrationHub.Schemas;

namespace IntegrationHub.Functions.Audit;

/// <summary>Runs the verifier over one snapshot of the hub's own store with the published keys, for the API, the page and the hub's own check.</summary>
internal sealed class AuditVerificationService(IAuditSnapshots snapshots, AuditKeyRing keys, TimeProvider time)
{
    /// <summary>Verifies every chain, from checkpoint <paramref name="from"/> when given.</summary>
    /// <exception cref="CheckpointNotFoundException">No checkpoint <paramref name="from"/> whose signature holds.</exception>
    public async Task<AuditVerificationReport> VerifyAsync(long? from, CancellationToken cancellationToken)
    {
        await using var snapshot = await snapshots.OpenAsync(cancellationToken);
        return await new AuditVerifier(keys.Published, time).VerifyAsync(snapshot, new AuditVerificationRequest { From = from }, cancellationToken);
    }
}
