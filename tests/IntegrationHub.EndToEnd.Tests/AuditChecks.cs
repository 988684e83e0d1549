using IntegrationHub.Core.Audit;
using IntegrationHub.Runtime.Store.Audit;
using IntegrationHub.Schemas;

namespace IntegrationHub.EndToEnd.Tests;

/// <summary>
/// What the end-to-end tests check of the audit chains once a run has come to rest: every entry of the
/// three logs sealed, a checkpoint covering all of them, and the chains verified from outside the hub
/// (the store read directly, the test audit key's public half trusted): intact, none lost.
/// </summary>
public static class AuditChecks
{
    private const string Entries = """
        SELECT (SELECT COUNT(*) FROM hub_dossier_timeline) + (SELECT COUNT(*) FROM hub_identity_lookups)
             + (SELECT COUNT(*) FROM hub_identity_outcomes) + (SELECT COUNT(*) FROM hub_ops_audit)
        """;

    /// <summary>Waits until everything written is sealed and signed, then verifies; answers the report.</summary>
    public static async Task<AuditVerificationReport> AssertSealedAndIntactAsync(HubProbe probe, IReadOnlyDictionary<string, string?> settings, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(settings);
        long written = 0, signed = 0;
        await Eventually.HoldsAsync(
            async () =>
            {
                written = await probe.ScalarAsync(Entries);
                signed = await probe.ScalarAsync("SELECT COALESCE(SUM(entry_count), 0) FROM hub_audit_checkpoint_heads WHERE number = (SELECT MAX(number) FROM hub_audit_checkpoints)");
                return written > 0 && signed == written && await probe.ScalarAsync("SELECT COUNT(*) FROM hub_audit_seals") == written;
            },
            timeout,
            () => $"{written} entries written, {signed} covered by the last checkpoint");

        var report = await VerifyAsync(settings);
        Assert.True(report.Intact, report.Summary);
        Assert.Equal(written, report.Entries);
        Assert.Equal(0, report.Chains.Sum(c => c.Unsealed + c.AfterLastCheckpoint));
        Assert.NotNull(report.IntactThrough);
        return report;
    }

    /// <summary>The chains of the hub's store as an auditor verifies them: read-only, outside the hub, the public key only.</summary>
    public static async Task<AuditVerificationReport> VerifyAsync(IReadOnlyDictionary<string, string?> settings, AuditVerificationRequest? request = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        using var signing = TestAuditKey.Read();
        using var keys = new AuditKeySet([signing.PublicKey()]);
        await using var snapshot = settings.GetValueOrDefault("Messaging:Store") == "postgres"
            ? await AuditStoreReader.OpenPostgresAsync(settings["Messaging:PostgreSql:ConnectionString"]!, CancellationToken.None)
            : await AuditStoreReader.OpenSqliteAsync(settings["Messaging:DatabasePath"]!, CancellationToken.None);
        return await new AuditVerifier(keys, TimeProvider.System).VerifyAsync(snapshot, request ?? new AuditVerificationRequest(), CancellationToken.None);
    }
}
